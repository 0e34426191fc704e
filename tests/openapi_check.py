"""Validating API responses against portal/api/openapi.json (JSON Schema 2020-12, as OpenAPI 3.1
uses it): the operation is found from the request path, the schema from the status code."""

import json
import re
from datetime import date, datetime
from importlib.resources import files
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT = json.loads(files("portal.api").joinpath("openapi.json").read_text())
BASE = "urn:portal-api"
RESOURCE = Resource.from_contents(DOCUMENT, default_specification=DRAFT202012)
REGISTRY = Registry().with_resource(BASE, RESOURCE)

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    return not isinstance(value, str) or (
        bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value))
        and bool(datetime.fromisoformat(value))
    )


@FORMATS.checks("date", raises=ValueError)
def _date(value) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value))


@FORMATS.checks("uri")
def _uri(value) -> bool:
    return not isinstance(value, str) or bool(urlsplit(value).scheme and urlsplit(value).netloc)


def _follow(node: dict) -> dict:
    """A components reference followed to what it names."""
    while "$ref" in node:
        target = DOCUMENT
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def operation(path: str) -> tuple[str, dict]:
    """The documented path template matching a request path under /api/v1, and its GET."""
    path = path.removeprefix("/api/v1")
    for template, item in DOCUMENT["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template, item["get"]
    raise AssertionError(f"{path} is not documented")


def validator(schema: dict) -> Draft202012Validator:
    # References point into the whole document, registered under BASE.
    wrapped = json.loads(json.dumps(schema).replace('"#/', f'"{BASE}#/'))
    return Draft202012Validator(wrapped, registry=REGISTRY, format_checker=FORMATS)


def check(response) -> dict | None:
    """Assert that the response is the documented one for its path and status; its JSON."""
    path = response.request.path
    _, op = operation(path)
    status = str(response.status_code)
    assert status in op["responses"], f"{status} not documented for {path}"
    documented = _follow(op["responses"][status])
    for name, header in documented.get("headers", {}).items():
        assert name in response.headers, f"{name} missing on {status} {path}"
        schema = _follow(header)["schema"]
        errors = list(validator(schema).iter_errors(response.headers[name]))
        assert not errors, errors
    if "content" not in documented:
        assert not response.data
        return None
    assert response.mimetype == "application/json"
    body = response.get_json()
    schema = documented["content"]["application/json"]["schema"]
    errors = sorted(validator(schema).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return body
