"""Web addresses: an http(s) address with a host is the only kind the portal renders as a link
(organizations' websites, checked by organizations/validation.py and the `web_url` template
test)."""

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")


def is_web_url(value: str | None) -> bool:
    """An http(s) address with a host: the only kind of address rendered as a link."""
    if not value or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and "." in (parts.hostname or "")
