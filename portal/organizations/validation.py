"""The organization profile fields, checked the same way for forms, registration and seeds."""

from urllib.parse import urlsplit

import pycountry

from ..errors import OperationError
from ..models import OrganizationKind

NAME_MIN, NAME_MAX = 3, 200


def clean_organization_fields(
    *,
    name: str,
    acronym: str | None = None,
    country: str,
    kind: str = OrganizationKind.NGO,
    website: str | None = None,
    description: str | None = None,
) -> dict:
    """Validated, normalized profile fields; OperationError(field=…) on bad input."""
    name = " ".join((name or "").split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise OperationError(f"The name must be {NAME_MIN} to {NAME_MAX} characters.", "name")
    acronym = (acronym or "").strip() or None
    if acronym and len(acronym) > 40:
        raise OperationError("The acronym must be at most 40 characters.", "acronym")
    country = (country or "").strip().upper()
    if len(country) != 2 or pycountry.countries.get(alpha_2=country) is None:
        raise OperationError("Choose a country from the list.", "country")
    try:
        kind = OrganizationKind(kind).value
    except ValueError:
        raise OperationError("Choose a kind of organization from the list.", "kind") from None
    website = (website or "").strip() or None
    if website:
        if "://" not in website:
            website = "https://" + website
        parts = urlsplit(website)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in website:
            raise OperationError(
                "Enter a web address starting with http:// or https://.", "website"
            )
        if len(website) > 300:
            raise OperationError("The web address is too long.", "website")
    description = (description or "").strip() or None
    return dict(
        name=name,
        acronym=acronym,
        country=country,
        kind=kind,
        website=website,
        description=description,
    )
