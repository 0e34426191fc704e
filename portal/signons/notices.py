"""What signers are told when the list they are on (or not) is published or corrected: a message
true for each organization — listed, or not and why — linking to the public page."""

from flask import has_request_context, url_for
from flask_babel import lazy_gettext as _l

from ..mail import queue_message
from .listing import Standing, listing

# Why an organization is not on the published list, as its signer reads it.
NOT_LISTED = {
    Standing.PENDING: "the coordinators had not approved its sign-on when the statement was "
    "approved",
    Standing.EARLIER_TEXT: "it signed an earlier version of the text and did not re-confirm its "
    "signature for the approved text",
    Standing.UNNAMED: "it asked not to be named",
    Standing.LATE: "its sign-on was approved after the list was published",
}


def public_link(statement) -> str | None:
    if not has_request_context():
        return None
    return url_for("publication.statement", statement_id=statement.id, _external=True)


def tell_signers_of_approval(statement, review) -> int:
    """One message per live signature of the approved statement. Returns how many."""
    signed = listing(statement, review)
    link = public_link(statement)
    sent = 0
    for signature in signed.signatures:
        email = signature.notify_email
        if not (signature.is_live and email):
            continue
        standing = signed.standing_of(signature)
        queue_message(
            email,
            "signature_statement_approved",
            _l("Approved: %(title)s", title=statement.title),
            signature=signature,
            statement=statement,
            listed=standing == Standing.LISTED,
            why=NOT_LISTED.get(standing, standing.label),
            count=len(signed.entries),
            link=link,
        )
        sent += 1
    return sent
