"""The outbox: messages are stored in the caller's transaction and delivered after commit."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .core.i18n import current_language
from .core.secret_links import carries_secret, redact
from .extensions import db
from .models import OutboxMessage, OutboxStatus, PublicSignOn, User, utcnow
from .models.accounts import normalize_email

log = logging.getLogger("portal.mail")
_PENDING_KEY = "portal_outbox_pending"
_IDS_KEY = "portal_outbox_ids"


def queue_message(recipient: str, kind: str, subject, **context) -> OutboxMessage:
    """Store an e-mail rendered from templates/email/<kind>.txt; it goes out after commit.
    A message whose links are credentials is marked secret (see core/secret_links).

    It is written in the recipient's language (their profile's, when the address is a person's
    account; else the language of the request that sends it): pass `subject` as a lazy_gettext
    string so that it is translated there too."""
    with force_locale(recipient_language(recipient)):
        body = render_template(f"email/{kind}.txt", **context)
        subject = str(subject)
    message = OutboxMessage(
        recipient=recipient, subject=subject, body=body, kind=kind, secret=carries_secret(body)
    )
    db.session.add(message)
    db.session.info.setdefault(_PENDING_KEY, []).append(message)
    return message


def recipient_language(recipient: str) -> str:
    """The language of the account with this address (its profile's, else that of its last
    sign-in); else, for an address that signed on through the public form, the language it
    asked in there; else the request's. A coordinator deciding in French must not write to a
    Spanish signer, or to an English drafter, in French."""
    address = normalize_email(recipient)
    person = db.session.execute(
        select(User.locale, User.signed_in_locale).where(User.email == address)
    ).first()
    if person is not None and (person.locale or person.signed_in_locale):
        return person.locale or person.signed_in_locale
    asked = db.session.scalar(
        select(PublicSignOn.locale)
        .where(PublicSignOn.email == address, PublicSignOn.locale.is_not(None))
        .order_by(PublicSignOn.id.desc())
        .limit(1)
    )
    return asked or current_language()


def deliver(message_ids: list[int]) -> None:
    """Deliver queued messages by SMTP, or log them when no MAIL_SERVER is configured."""
    config = current_app.config
    with Session(db.engine) as session:
        messages = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.id.in_(message_ids),
                OutboxMessage.status == OutboxStatus.QUEUED,
            )
        ).all()
        for message in messages:
            message.attempts += 1
            try:
                if config.get("MAIL_SERVER"):
                    _send_smtp(message, config)
                    message.status = OutboxStatus.SENT
                else:
                    log.info(
                        "mail to %s: %s\n%s", message.recipient, message.subject, _loggable(message)
                    )
                    message.status = OutboxStatus.LOGGED
                message.sent_at = utcnow()
                message.error = None
            except (OSError, smtplib.SMTPException) as exc:
                message.status = OutboxStatus.FAILED
                message.error = str(exc)
                log.warning("mail to %s failed: %s", message.recipient, exc)
        session.commit()


def _loggable(message: OutboxMessage) -> str:
    # The demo (debug mode) reads its links in the log; a production log is read by more people
    # than the recipient, so it only says where the whole message can be printed.
    if not message.secret or current_app.debug:
        return message.body
    return f"{redact(message.body)}\n(links hidden: `portal outbox show {message.id}` prints them)"


def _send_smtp(message: OutboxMessage, config) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


_listening = False


def init_app(app) -> None:
    @app.after_request
    def _deliver_after_response(response):
        # Delivery waits until the response has gone out and the request's database connection
        # is back in the pool: a slow SMTP server then delays nobody, and a request never holds
        # two connections at once.
        ids = g.pop(_IDS_KEY, None)
        if ids:
            # current_app is typed as the Flask app it stands for, not as the proxy it is.
            flask_app = current_app._get_current_object()  # type: ignore[attr-defined]

            def send():
                with flask_app.app_context():
                    deliver(ids)

            response.call_on_close(send)
        return response

    _listen_to_sessions()


def _listen_to_sessions() -> None:
    global _listening
    if _listening:  # session events are global; register them once per process
        return
    _listening = True

    @event.listens_for(db.session, "before_commit")
    def _collect_before_commit(session):
        pending = session.info.get(_PENDING_KEY)
        if pending:
            session.flush()
            session.info[_IDS_KEY] = [m.id for m in pending]

    @event.listens_for(db.session, "after_commit")
    def _deliver_after_commit(session):
        session.info.pop(_PENDING_KEY, None)
        ids = session.info.pop(_IDS_KEY, None)
        if not ids:
            return
        if has_request_context():
            g.setdefault(_IDS_KEY, []).extend(ids)
        else:  # CLI, seeds, background jobs: nothing to wait for
            deliver(ids)

    @event.listens_for(db.session, "after_rollback")
    def _forget_after_rollback(session):
        session.info.pop(_PENDING_KEY, None)
        session.info.pop(_IDS_KEY, None)
