"""When what sign-on lists show last changed, in one query read from indexes: pages that show a
list (the signatories page, the sign-on queue) keep their rendered pieces by it
(portal/core/fragments.py).

Ids only grow (signatures are withdrawn or rejected, never deleted) and every UPDATE stamps
`updated_at`, set-based ones included; an organization's accreditation changes stamp it too
(portal/organizations/accreditation.py). The version is global, not per statement: a sign-on
anywhere renews every kept list, which is cheap next to reading 1,500 rows to compare them."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import ListCorrection, Organization, Review, Signature


def signatures_version(*also) -> tuple:
    """The version, and the values of the scalar subqueries `also` in the same query."""
    return tuple(
        db.session.execute(
            select(
                *also,
                select(func.max(Signature.id)).scalar_subquery(),
                select(func.max(Signature.updated_at)).scalar_subquery(),
                select(func.max(Organization.id)).scalar_subquery(),
                select(func.max(Organization.updated_at)).scalar_subquery(),
                # An approval freezes a list and a correction changes it.
                select(func.max(Review.id)).scalar_subquery(),
                select(func.max(ListCorrection.id)).scalar_subquery(),
            )
        ).one()
    )
