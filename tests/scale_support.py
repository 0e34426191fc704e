"""Statements at the scale of a real round, inserted as rows (the factories would take minutes
for 1,500 sign-ons): tests/test_fast_pages.py and tests/test_venues_scale.py."""

from portal.extensions import db
from portal.models import Organization, SignatureState

from .helpers.rows import imported_signature

COUNTRIES = ("KE", "FR", "MX", "PH", "BR", "IN")


def bulk_signatures(
    statement, n: int, start: int = 0, state=SignatureState.APPROVED
) -> list[Organization]:
    """n approved sign-ons of new organizations, inserted in one flush; their organizations."""
    organizations = []
    for i in range(start, start + n):
        country = COUNTRIES[i % len(COUNTRIES)]
        org = Organization(slug=f"bulk-{i}", name=f"Bulk Org {i:05d}", country=country)
        organizations.append(org)
        db.session.add(org)
        # Some ask not to be named.
        imported_signature(statement, org, state=state, publish=i % 7 != 3)
    db.session.commit()
    return organizations
