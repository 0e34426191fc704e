"""Signing without an account: the public form, then the e-mailed confirmation link.

Nothing reaches the coordinator until the link is followed. Confirming attaches the pending
Signature to the registered organization it matches (matching.py), or creates an Organization
(unverified, no members, flagged when it resembles a registered one: the coordinator verifies it
like any other).
"""

import hashlib
import secrets
from datetime import timedelta
from typing import cast

from flask import has_request_context, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, delete, select, text, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..core.hashed_tokens import hash_token, new_token
from ..core.i18n import current_language
from ..core.template_helpers import zoned
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import (
    Organization,
    PublicSignOn,
    Signature,
    SignatureSource,
    Statement,
    VerificationStatus,
    utcnow,
)
from ..organizations.slugs import unique_slug
from ..organizations.validation import (
    clean_email,
    clean_kind,
    clean_name,
    clean_place,
    clean_website,
    place_fields,
)
from .matching import Match, ask_signatories, find_registered
from .operations import (
    insert_signature,
    manage_link,
    new_signature,
    require_current_revision,
    require_signing_open,
)

CONFIRMATION_LIFETIME = timedelta(days=3)
CONTACT_MAX = 120


def clean_public_fields(*, name, country, kind, website, contact_name, email, publish) -> dict:
    """The form's fields, each checked by the same function as everywhere else."""
    place = clean_place(country)
    fields = dict(
        organization_name=clean_name(name),
        **place_fields(place),
        kind=clean_kind(kind),
        website=clean_website(website),
    )
    contact_name = " ".join((contact_name or "").split())
    if not contact_name:
        raise OperationError(_("Enter the name of a contact person."), "contact_name")
    if len(contact_name) > CONTACT_MAX:
        raise OperationError(
            _("At most %(contact_max)s characters.", contact_max=CONTACT_MAX), "contact_name"
        )
    email = clean_email(email)
    if not publish:
        raise OperationError(
            _(
                "Signing means the organization's name is published with the statement; "
                "tick the box to agree."
            ),
            "publish",
        )
    return dict(**fields, contact_name=contact_name, email=email, publish=True)


def request_signon(statement: Statement, *, revision_id, **form) -> tuple[PublicSignOn, str]:
    """Store the sign-on and e-mail its confirmation link. Returns it and the raw token."""
    require_signing_open(statement)
    revision = require_current_revision(statement, revision_id)
    fields = clean_public_fields(**form)
    token = new_token()
    expires = min(utcnow() + CONFIRMATION_LIFETIME, statement.effective_signon_deadline)
    signon = _replace_waiting(
        statement,
        fields,
        revision=revision,
        token_hash=hash_token(token),
        expires_at=expires,
        ip=request.remote_addr if has_request_context() else None,
        locale=current_language(),
    )
    audit.record(
        "signon.requested",
        signon,
        statement=statement.id,
        organization_name=signon.organization_name,
        place=signon.place.label,
        email=signon.email,
    )
    link = (
        url_for("signons.confirm", public_token=statement.public_token, token=token, _external=True)
        if has_request_context()
        else None
    )
    queue_message(
        signon.email,
        "signon_confirm",
        _l("Confirm your sign-on: %(title)s", title=statement.title),
        signon=signon,
        statement=statement,
        link=link,
        expires=zoned(expires, statement.round.timezone),
    )
    db.session.flush()
    return signon, token


def _lock_address(statement: Statement, email: str) -> None:
    """On PostgreSQL, identical requests wait for each other (a transaction-scoped advisory
    lock on the statement and address) instead of failing on the unique index; SQLite
    serializes writers anyway."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"public-signon:{statement.id}:{email}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _replace_waiting(statement: Statement, fields: dict, **values) -> PublicSignOn:
    """Store the request, replacing an unconfirmed one from the same address: only the newest
    link works. A unique index allows one waiting request per statement and address, so of
    identical requests racing, each replaces the one before it instead of adding a second."""
    _lock_address(statement, fields["email"])
    for _attempt in range(3):
        try:
            with db.session.begin_nested():
                db.session.execute(
                    delete(PublicSignOn).where(
                        PublicSignOn.statement_id == statement.id,
                        PublicSignOn.email == fields["email"],
                        PublicSignOn.confirmed_at.is_(None),
                    )
                )
                signon = PublicSignOn(statement=statement, **fields, **values)
                db.session.add(signon)
                db.session.flush()
            return signon
        except IntegrityError:
            continue
    raise OperationError(_("The sign-on could not be recorded just now; send the form again."))


def find_signon(statement: Statement, token: str) -> PublicSignOn:
    """The sign-on behind a confirmation link, or a clear refusal (unknown, used, expired)."""
    signon = db.session.scalar(
        select(PublicSignOn).where(
            PublicSignOn.token_hash == hash_token(token or ""),
            PublicSignOn.statement_id == statement.id,
        )
    )
    if signon is None:
        raise OperationError(
            _(
                "This confirmation link is not valid. It may have been replaced by a newer one: "
                "use the link in the latest e-mail, or fill in the form again."
            )
        )
    if signon.confirmed_at is not None:
        raise OperationError(_("This confirmation link was already used; the sign-on is recorded."))
    if signon.expired:
        raise OperationError(_("This confirmation link has expired. Fill in the form again."))
    return signon


def confirm_signon(statement: Statement, token: str) -> Signature:
    signon = find_signon(statement, token)
    require_signing_open(statement)
    # Claim the link atomically: of two clicks racing, one confirms and the other is "used".
    # An UPDATE answers with a CursorResult; Session.execute is typed for any statement.
    claimed = cast(
        CursorResult,
        db.session.execute(
            update(PublicSignOn)
            .where(PublicSignOn.id == signon.id, PublicSignOn.confirmed_at.is_(None))
            .values(confirmed_at=utcnow())
            .execution_options(synchronize_session=False),
        ),
    ).rowcount
    if claimed != 1:
        raise OperationError(_("This confirmation link was already used; the sign-on is recorded."))
    matches = find_registered(signon.organization_name, signon.place, signon.website)
    attached = matches[0].attach if matches else False
    if attached:
        organization = matches[0].organization
    else:
        organization = _create_organization(signon, matches[0] if matches else None)
    signature = insert_signature(
        new_signature(
            statement,
            organization,
            signon.revision,
            source=SignatureSource.PUBLIC,
            contact_name=signon.contact_name,
            contact_email=signon.email,
            publish=signon.publish,
        )
    )
    signon.signature_id = signature.id
    audit.record(
        "signature.sign",
        signature,
        organization=organization,
        statement=statement.id,
        revision=signon.revision.number,
        text_hash=signon.revision.text_hash,
        source=SignatureSource.PUBLIC,
        public_signon=signon.id,
    )
    if attached:
        ask_signatories(signature, signon)
    queue_message(
        signon.email,
        "signature_received",
        _l("Sign-on confirmed: %(title)s", title=statement.title),
        signature=signature,
        statement=statement,
        manage_link=manage_link(signature),
    )
    db.session.flush()
    return signature


def _create_organization(signon: PublicSignOn, match: Match | None) -> Organization:
    """An unverified organization for the sign-on, flagged when it looks like a registered one;
    the slug is retried if a twin took it."""
    for attempt in range(3):
        slug = unique_slug(Organization, signon.organization_name)
        if attempt:
            slug = f"{slug[:70]}-{secrets.token_hex(3)}"
        organization = Organization(
            slug=slug,
            name=signon.organization_name,
            **place_fields(signon.place),
            kind=signon.kind,
            website=signon.website,
            status=VerificationStatus.PENDING,
            possible_duplicate_of=match.organization if match else None,
        )
        try:
            with db.session.begin_nested():
                db.session.add(organization)
                db.session.flush()
        except IntegrityError:
            continue
        audit.record(
            "organization.created_by_signon",
            organization,
            organization=organization,
            possible_duplicate_of=match.organization.id if match else None,
        )
        return organization
    raise OperationError(_("The sign-on could not be recorded just now; follow the link again."))
