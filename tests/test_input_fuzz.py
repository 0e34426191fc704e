"""No 500 from input, and nothing written by input the portal refuses.

Generated from the route list (app.url_map) and the world of tests/access_world.py:
- every URL variable of every route gets out-of-range ids and NUL bytes;
- every GET route gets every query parameter the views read (found in the source, and in the
  GET forms of the pages) with NUL bytes, out-of-range numbers and dates outside the calendar;
- every POST form found on the pages, as each role sees them, is sent as a browser would send it
  with one field at a time replaced: a NUL byte in any field (refused with a 400), out-of-range
  numbers in number and id fields, and the year 9999, 1969 and year 1 in date fields (all
  refused). A refused request writes nothing: no row count changes, no audit event.
"""

import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import lxml.html
import pytest
from flask import current_app
from sqlalchemy import func, select

from portal.extensions import db
from tests.helpers.routes import ROLES, build_url, expand, routes

SOURCE = Path(__file__).resolve().parent.parent / "portal"
HUGE = ("2147483648", "99999999999999999999", "-2147483649")
NUL = "a\x00b"
DATETIMES = ("9999-12-31T23:59", "1969-12-31T23:59", "0001-01-01T00:00")
DATES = ("9999-12-31", "1969-12-31", "0001-01-01")
# Pages that are files, not forms: not crawled for forms (they are fuzzed by URL and query).
FILES = re.compile(r"pdf|csv|zip|export|healthz|job_status")
# Actions not sent: signing out would end the role's session for the rest of the crawl.
SKIP_ACTIONS = {"/logout"}
DATE_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$")


def query_parameters() -> set[str]:
    """Every query parameter a view reads: `args.get("name"` anywhere in the package."""
    names = set()
    for path in SOURCE.rglob("*.py"):
        names |= set(re.findall(r"args\.get(?:list)?\(\s*\"(\w+)\"", path.read_text()))
    return names


# Caches a GET may fill (a compiled file stored once, by the hash of what went into it).
CACHES = {"artifacts"}


def snapshot() -> tuple:
    """The row count of every table but the caches: a change is a write."""
    db.session.rollback()
    return tuple(
        db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name not in CACHES
    )


def _rule(endpoint):
    return next(r for r in current_app.url_map.iter_rules() if r.endpoint == endpoint)


def _url_variants(rule, world):
    """(url, description) with one URL variable replaced by a hostile value."""
    adapter = current_app.url_map.bind("localhost")
    for _label, url in expand(rule, world):
        _endpoint, values = adapter.match(url, method=next(iter(rule.methods - {"OPTIONS"})))
        for name in rule.arguments:
            converter = type(rule._converters[name]).__name__
            if "Int" in converter:
                hostile = HUGE[:2]  # a negative number does not even match an <int:...>
            elif "Any" in converter:
                continue
            else:
                hostile = ("%00", "a%00b")
            for value in hostile:
                yield build_url(rule, {**values, name: value}), f"{name}={value!r}"


@pytest.mark.parametrize(("endpoint", "method"), routes())
def test_url_variables(endpoint, method, world, client_as):
    rule = _rule(endpoint)
    failures = []
    for role in ("anonymous", "admin"):
        client = client_as(role)
        for url, what in _url_variants(rule, world):
            before = snapshot()
            data = {"csrf_token": client.csrf_token()} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            if response.status_code >= 500:
                failures.append(f"{method} {url} as {role}: {response.status_code}")
            elif response.status_code not in (400, 404) and "00" in what:
                failures.append(f"{method} {url} as {role}: NUL answered {response.status_code}")
            if snapshot() != before:
                failures.append(f"{method} {url} as {role} ({what}) wrote")
    assert not failures, "\n".join(failures)


GETS = [endpoint for endpoint, method in routes() if method == "GET"]


@pytest.mark.parametrize("endpoint", GETS)
def test_query_parameters(endpoint, world, client_as):
    rule = _rule(endpoint)
    names = sorted(query_parameters())
    failures = []
    for role in ("anonymous", "coordinator"):
        client = client_as(role)
        for _label, url in expand(rule, world)[:1]:
            for value in (NUL, *HUGE[:2], DATETIMES[0], DATETIMES[2], "-1"):
                before = snapshot()
                response = client.get(url + "?" + urlencode(dict.fromkeys(names, value)))
                if response.status_code >= 500:
                    failures.append(f"GET {url} {value!r} as {role}: {response.status_code}")
                if value == NUL and response.status_code != 400:
                    failures.append(f"GET {url} NUL as {role}: {response.status_code}")
                if snapshot() != before:
                    failures.append(f"GET {url} {value!r} as {role} wrote")
    assert not failures, "\n".join(failures)


# -- forms ------------------------------------------------------------------------------------


def _fields(form):
    """[(name, value, kind)] as a browser would send the form; kind is number, date, datetime
    or text, from the input's type or, for hidden fields and selects, from its value."""
    fields = []
    controls = list(form.inputs)
    if form.get("id"):  # controls placed outside the form, tied to it by form="id"
        controls += form.getroottree().xpath(
            "//*[@form=$id][self::input or self::select or self::textarea]", id=form.get("id")
        )
    for element in controls:
        name = element.get("name")
        if not name or name == "csrf_token":
            continue
        kind_attr = (element.get("type") or "").lower()
        if element.tag == "input" and kind_attr in ("submit", "image", "reset", "button"):
            continue
        if element.tag == "input" and kind_attr == "file":
            continue
        if element.tag == "input" and kind_attr in ("checkbox", "radio"):
            # Every checkbox as if ticked (a person may tick any); of radios, the chosen one.
            if kind_attr == "radio" and not element.checked:
                continue
            value = element.get("value", "on")
        elif element.tag == "select":
            value = element.value if element.value is not None else ""
            if isinstance(value, set):  # a multiple select
                value = next(iter(value), "")
            if not value:
                options = [o.get("value", o.text_content()) for o in element.findall(".//option")]
                value = next((o for o in options if o), "")
        else:
            value = element.value or ""
        if kind_attr in ("datetime-local", "date"):
            kind = "datetime" if kind_attr == "datetime-local" else "date"
        elif kind_attr == "number" or (value and value.lstrip("-").isdigit()):
            kind = "number"
        elif DATE_VALUE.match(value or ""):
            kind = "datetime" if "T" in value else "date"
        else:
            kind = "text"
        fields.append((name, value, kind))
    return fields


def discover_forms(client, world):
    """{(action, field names): (page, fields)} of the POST forms on every page the client sees."""
    found = {}
    for endpoint in GETS:
        if FILES.search(endpoint):
            continue
        for _label, url in expand(_rule(endpoint), world):
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            page = lxml.html.fromstring(response.get_data(as_text=True))
            for form in page.forms:
                if (form.method or "GET").upper() != "POST":
                    continue
                action = urlsplit(form.get("action") or url).path or url
                if action in SKIP_ACTIONS:
                    continue
                fields = _fields(form)
                key = (action, tuple(sorted(name for name, _v, _k in fields)))
                if fields and key not in found:
                    found[key] = (url, fields, form.inputs["csrf_token"].value)
    return found


def _hostile(kind: str):
    values = [NUL]
    if kind == "number":
        values += list(HUGE)
    elif kind == "datetime":
        values += list(DATETIMES)
    elif kind == "date":
        values += list(DATES)
    return values


@pytest.mark.parametrize("role", [r for r in ROLES if r != "outsider"])
def test_forms(role, world, client_as):
    client = client_as(role)
    forms = discover_forms(client, world)
    assert forms or role == "anonymous", f"no forms found as {role}"
    failures = []
    for (action, _names), (page, fields, token) in sorted(forms.items()):
        for index, (name, value, kind) in enumerate(fields):
            for hostile in _hostile(kind):
                data = [(n, v) for n, v, _k in fields]
                data[index] = (name, hostile if hostile != NUL else value + NUL)
                body = {"csrf_token": [token]}
                for n, v in data:
                    body.setdefault(n, []).append(v)
                before = snapshot()
                response = client.post(action, data=body)
                what = f"POST {action} (form on {page}) {name}={hostile!r} as {role}"
                if response.status_code >= 500:
                    failures.append(f"{what}: {response.status_code}")
                elif hostile == NUL and response.status_code != 400:
                    failures.append(f"{what}: answered {response.status_code}, not 400")
                if snapshot() != before:
                    failures.append(f"{what}: wrote ({response.status_code})")
    assert not failures, "\n".join(failures)
