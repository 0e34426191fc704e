"""Signing without an account: the public form, then the e-mailed confirmation link.

Nothing reaches the coordinator until the link is followed. Confirming creates an Organization
(unverified, no members: the coordinator verifies it like any other) and its pending Signature.
A registered organization that also signs through the form shows up as a near-duplicate, which
the coordinator merges or keeps apart.
"""

import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import has_request_context, request, url_for
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..core.template_helpers import format_datetime
from ..core.tokens import hash_token, new_token
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
from ..models.accounts import normalize_email
from ..organizations.slugs import unique_slug
from ..organizations.validation import NAME_MAX, NAME_MIN, clean_organization_fields
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
    """The form's fields validated the same way as an organization profile."""
    if not " ".join((name or "").split()):
        raise OperationError("Enter your organization's name.", "name")
    if len(" ".join(name.split())) > NAME_MAX:
        raise OperationError(
            f"The organization's name is too long: at most {NAME_MAX} characters.", "name"
        )
    if len(" ".join(name.split())) < NAME_MIN:
        raise OperationError(f"The name must be at least {NAME_MIN} characters.", "name")
    fields = clean_organization_fields(name=name, country=country, kind=kind, website=website)
    contact_name = " ".join((contact_name or "").split())
    if not contact_name:
        raise OperationError("Enter the name of a contact person.", "contact_name")
    if len(contact_name) > CONTACT_MAX:
        raise OperationError(f"At most {CONTACT_MAX} characters.", "contact_name")
    try:
        email = validate_email(email or "", check_deliverability=False).normalized
    except EmailNotValidError:
        raise OperationError("Enter a valid e-mail address.", "email") from None
    if not publish:
        raise OperationError(
            "Signing means the organization's name is published with the statement; "
            "tick the box to agree.",
            "publish",
        )
    return dict(
        organization_name=fields["name"],
        country=fields["country"],
        kind=fields["kind"],
        website=fields["website"],
        contact_name=contact_name,
        email=normalize_email(email),
        publish=True,
    )


def request_signon(statement: Statement, *, revision_id, **form) -> tuple[PublicSignOn, str]:
    """Store the sign-on and e-mail its confirmation link. Returns it and the raw token."""
    require_signing_open(statement)
    revision = require_current_revision(statement, revision_id)
    fields = clean_public_fields(**form)
    # Filling in the form again replaces an unconfirmed earlier request: only the newest link works.
    db.session.execute(
        delete(PublicSignOn).where(
            PublicSignOn.statement_id == statement.id,
            PublicSignOn.email == fields["email"],
            PublicSignOn.confirmed_at.is_(None),
        )
    )
    token = new_token()
    expires = min(utcnow() + CONFIRMATION_LIFETIME, statement.effective_signon_deadline)
    signon = PublicSignOn(
        statement=statement,
        revision=revision,
        token_hash=hash_token(token),
        expires_at=expires,
        ip=request.remote_addr if has_request_context() else None,
        **fields,
    )
    db.session.add(signon)
    db.session.flush()
    audit.record(
        "signon.requested",
        signon,
        statement=statement.id,
        organization_name=signon.organization_name,
        country=signon.country,
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
        f"Confirm your sign-on: {statement.title}",
        signon=signon,
        statement=statement,
        link=link,
        expires=format_datetime(expires, statement.round.timezone),
    )
    db.session.flush()
    return signon, token


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
            "This confirmation link is not valid. It may have been replaced by a newer one: "
            "use the link in the latest e-mail, or fill in the form again."
        )
    if signon.confirmed_at is not None:
        raise OperationError("This confirmation link was already used; the sign-on is recorded.")
    if signon.expired:
        raise OperationError("This confirmation link has expired. Fill in the form again.")
    return signon


def confirm_signon(statement: Statement, token: str) -> Signature:
    signon = find_signon(statement, token)
    require_signing_open(statement)
    # Claim the link atomically: of two clicks racing, one confirms and the other is "used".
    claimed = db.session.execute(
        update(PublicSignOn)
        .where(PublicSignOn.id == signon.id, PublicSignOn.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise OperationError("This confirmation link was already used; the sign-on is recorded.")
    organization = _create_organization(signon)
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
    queue_message(
        signon.email,
        "signature_received",
        f"Sign-on confirmed: {statement.title}",
        signature=signature,
        statement=statement,
        manage_link=manage_link(signature),
    )
    db.session.flush()
    return signature


def _create_organization(signon: PublicSignOn) -> Organization:
    """An unverified organization for the sign-on; the slug is retried if a twin took it."""
    for attempt in range(3):
        slug = unique_slug(Organization, signon.organization_name)
        if attempt:
            slug = f"{slug[:70]}-{secrets.token_hex(3)}"
        organization = Organization(
            slug=slug,
            name=signon.organization_name,
            country=signon.country,
            kind=signon.kind,
            website=signon.website,
            status=VerificationStatus.PENDING,
        )
        try:
            with db.session.begin_nested():
                db.session.add(organization)
                db.session.flush()
        except IntegrityError:
            continue
        audit.record("organization.created_by_signon", organization, organization=organization)
        return organization
    raise OperationError("The sign-on could not be recorded just now; follow the link again.")
