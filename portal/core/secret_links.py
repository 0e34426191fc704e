"""Links that are credentials: whoever holds one can reset a password, confirm an address,
accept an invitation or manage a signature. They must reach their recipient and nobody else.

A link is secret when it leads to a route with a token in its path (any view argument whose name
contains "token"), so a new kind of message with such a link is recognised without a list to
keep up to date. The outbox page and the production log show these links with the token cut out.
"""

import re
from urllib.parse import parse_qsl, urlsplit

from flask import current_app
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect

REDACTED = "[hidden]"
_URL_RE = re.compile(r"https?://[^\s<>\"')\]]+")


def site_url_for(endpoint: str, **values) -> str:
    """An absolute URL on SITE_URL (or SERVER_NAME), never on the request's Host header: a
    forged Host must not send a reset or confirmation token to someone else's server."""
    adapter = current_app.create_url_adapter(None)
    assert adapter is not None  # PortalFlask binds one to SITE_URL outside a request
    return adapter.build(endpoint, values, force_external=True)


def _route_tokens(url: str) -> list[str]:
    """The token values in `url` when it leads to one of the portal's token routes (or carries
    a token in its query string)."""
    parts = urlsplit(url)
    path = parts.path
    prefix = urlsplit(current_app.config.get("SITE_URL", "")).path.rstrip("/")
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]
    tokens = [v for k, v in parse_qsl(parts.query) if "token" in k.lower() and v]
    adapter = current_app.url_map.bind("localhost")
    for method in ("GET", "POST"):
        try:
            _endpoint, arguments = adapter.match(path, method=method)
        except RequestRedirect as redirect:
            return tokens + _route_tokens(redirect.new_url)
        except MethodNotAllowed:
            continue
        except HTTPException:
            break
        tokens += [str(v) for name, v in arguments.items() if "token" in name and v]
        break
    return tokens


def secret_links(text: str) -> list[str]:
    return [url for url in _URL_RE.findall(text or "") if _route_tokens(url)]


def carries_secret(text: str) -> bool:
    return bool(secret_links(text))


def redact(text: str) -> str:
    """`text` with the token of every secret link replaced by a marker."""

    def hide(match: re.Match) -> str:
        url = match.group(0)
        tokens = _route_tokens(url)
        if not tokens:
            return url
        for token in tokens:
            if token not in url:  # percent-encoded in the link: hide the whole link
                return REDACTED
            url = url.replace(token, REDACTED)
        return url

    return _URL_RE.sub(hide, text or "")
