"""The "manage your signature" link e-mailed to signers without an account.

The link is a signed token naming the signature *and the state it was issued in*, and it works
only until the sign-on deadline: a link sent for a pending sign-on stops working once the sign-on
is decided or withdrawn, and no link outlives the time when a signature can still change. Every
message that leaves a signature manageable carries a fresh link (the approval, the earlier-text
notice), so the holder of the latest e-mail can always act and an old or leaked one cannot.
"""

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from ..core.i18n import value_label
from ..errors import OperationError
from ..extensions import db
from ..models import Signature, utcnow
from .transitions import deadline_text

MANAGE_SALT = "portal.signature-manage"


class LinkError(OperationError):
    """The link named a signature but no longer works (410), or never did (404: `unknown`)."""

    def __init__(self, message: str, *, unknown: bool = False):
        super().__init__(message)
        self.unknown = unknown


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=MANAGE_SALT)


def manage_token(signature: Signature) -> str:
    return _serializer().dumps([signature.id, signature.state])


def resolve(token: str) -> Signature:
    """The signature behind a link that still works, else LinkError saying why."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        payload = None
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        raise LinkError(_("This link is not valid."), unknown=True)
    signature = db.session.get(Signature, payload[0])
    if signature is None:
        raise LinkError(_("This link is not valid."), unknown=True)
    statement = signature.statement
    if utcnow() >= statement.effective_signon_deadline:
        raise LinkError(
            _(
                "This link expired with the sign-on deadline, %(deadline_text)s: the "
                "signature can no longer be changed.",
                deadline_text=deadline_text(statement),
            )
        )
    if payload[1] != signature.state:
        raise LinkError(
            _(
                "The sign-on of %(name)s is now %(state)s: this link was sent before that "
                "and no longer works. Use the link in the latest e-mail.",
                name=signature.organization.name,
                state=value_label(signature.state),
            )
        )
    return signature


def signature_from_token(token: str) -> Signature | None:
    try:
        return resolve(token)
    except LinkError:
        return None


def manage_link(signature: Signature) -> str | None:
    """The link for the signature as it is now (None outside a request: no host name)."""
    if not has_request_context():
        return None
    return url_for("signons.manage", token=manage_token(signature), _external=True)
