"""The API's HTTP manners: JSON errors, conditional GET (ETag → 304), CORS, query parameters."""

from datetime import UTC, datetime

from flask import Response, current_app, json, request

from ..extensions import csrf, limiter

# Anyone may read from any origin; no credentials are ever accepted or needed.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, Retry-After, X-RateLimit-Limit, "
    "X-RateLimit-Remaining, X-RateLimit-Reset",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Max-Age": "86400",
}
MAX_AGE = 60  # seconds: publications are rare, a minute of staleness is harmless


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def error(status: int, code: str, message: str, parameter: str | None = None) -> Response:
    body = {"error": {"status": status, "code": code, "message": message}}
    if parameter:
        body["error"]["parameter"] = parameter
    response = current_app.response_class(
        json.dumps(body) + "\n", status=status, mimetype="application/json"
    )
    response.headers.update(CORS_HEADERS)
    return response


def conditional(body: bytes | str, mimetype: str, links: dict[str, str] | None = None) -> Response:
    """A cacheable 200, or 304 when the client's If-None-Match already names this body."""
    response = current_app.response_class(body, mimetype=mimetype)
    response.add_etag()  # a hash of the bytes: equal answers, equal tags, on every server
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    response.headers.update(CORS_HEADERS)
    response.make_conditional(request)  # in place: a 304 without the body when the tag matches
    return response


def json_response(data: dict, links: dict[str, str] | None = None) -> Response:
    return conditional(json.dumps(data) + "\n", "application/json", links)


def timestamp(value: datetime | None) -> str | None:
    """RFC 3339 in UTC, to the second (what both JSON and Atom consumers parse)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parameters(allowed: set[str]) -> dict[str, str]:
    """The query string, refusing unknown or repeated parameters (a typo must not pass as
    'no filter' and silently return everything)."""
    found = {}
    for name in request.args:
        if name not in allowed:
            raise BadParameter(name, f"Unknown parameter '{name}'.")
        values = request.args.getlist(name)
        if len(values) > 1:
            raise BadParameter(name, f"Parameter '{name}' given more than once.")
        found[name] = values[0]
    return found


def integer(params: dict, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(name, f"'{name}' must be a whole number from {low} to {high}.")
    return int(raw)


def protect(blueprint) -> None:
    """The API's rate limit (API_RATE_LIMIT) on every view of the blueprint, and no CSRF check:
    nothing here writes, and cross-origin readers have no token to send."""
    limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", "600 per hour"))(blueprint)
    csrf.exempt(blueprint)
