"""One check per input about an organization — name, place (country, region or international),
website, e-mail — used alike by the forms, the public sign-on, the CSV import, the seeds and the
API. Each returns the normalized value or raises OperationError(message, field).

A website is stored only as an http(s) address with a host: anything else (``javascript:``,
``data:``, ``file:``) is refused here, and templates link only http(s) addresses anyway
(the ``http_url`` filter), so a stored value from before this check is shown as text.
"""

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from ..core.web_urls import is_web_url
from ..errors import OperationError
from ..models import OrganizationKind
from ..models.accounts import normalize_email
from ..places import Place, Scope, parse_place

NAME_MIN, NAME_MAX = 3, 200
WEBSITE_MAX = 300
EMAIL_MAX = 254


def clean_name(value: str | None, field: str = "name") -> str:
    name = " ".join((value or "").split())
    if not name:
        raise OperationError(_("Enter your organization's name."), field)
    if len(name) > NAME_MAX:
        raise OperationError(
            _(
                "The organization's name is too long: at most %(name_max)s characters.",
                name_max=NAME_MAX,
            ),
            field,
        )
    if len(name) < NAME_MIN:
        raise OperationError(
            _(
                "The name must be %(name_min)s to %(name_max)s characters.",
                name_min=NAME_MIN,
                name_max=NAME_MAX,
            ),
            field,
        )
    return name


def clean_place(
    value: str | None, field: str = "country", *, empty_is_international=False
) -> Place:
    """A country (ISO code or English name), a listed region, or international. Forms ask
    explicitly (empty is an error); a CSV row with an empty country is an international one."""
    place = parse_place(value, empty=Scope.INTERNATIONAL if empty_is_international else "")
    if place is None:
        text = (value or "").strip()
        if not text:
            raise OperationError(
                _("Choose a country, a region or International from the list."), field
            )
        raise OperationError(_("Unknown country or region: %(value)s.", value=text[:80]), field)
    return place


def clean_website(value: str | None, field: str = "website") -> str | None:
    website = (value or "").strip()
    if not website:
        return None
    if "://" not in website and ":" not in website.split("/", 1)[0]:
        website = "https://" + website
    if not is_web_url(website):
        raise OperationError(_("Enter a web address starting with http:// or https://."), field)
    if len(website) > WEBSITE_MAX:
        raise OperationError(_("The web address is too long."), field)
    return website


def clean_email(value: str | None, field: str = "email") -> str:
    try:
        email = validate_email((value or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise OperationError(_("Enter a valid e-mail address."), field) from None
    if len(email) > EMAIL_MAX:
        raise OperationError(_("The e-mail address is too long."), field)
    return normalize_email(email)


def clean_kind(value: str | None, field: str = "kind") -> str:
    try:
        return OrganizationKind(value or "").value
    except ValueError:
        raise OperationError(_("Choose a kind of organization from the list."), field) from None


def place_fields(place: Place) -> dict:
    return dict(scope=place.scope, country=place.country, region=place.region)


def clean_organization_fields(
    *,
    name: str,
    acronym: str | None = None,
    country: str,
    kind: str = OrganizationKind.NGO,
    website: str | None = None,
    description: str | None = None,
) -> dict:
    """Validated, normalized profile fields; OperationError(field=…) on bad input.

    `country` is the one place value of the forms: an ISO code, a region or "international"."""
    name = clean_name(name)
    acronym = (acronym or "").strip() or None
    if acronym and len(acronym) > 40:
        raise OperationError(_("The acronym must be at most 40 characters."), "acronym")
    place = clean_place(country)
    kind = clean_kind(kind)
    website = clean_website(website)
    description = (description or "").strip() or None
    return dict(
        name=name,
        acronym=acronym,
        **place_fields(place),
        kind=kind,
        website=website,
        description=description,
    )
