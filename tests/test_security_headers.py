"""Security headers on every response. Routes come from the URL map (a new route is covered
without being listed), each asked by a visitor and by an admin; plus static files, downloads,
error pages (404, 405, CSRF 400, an unhandled 500) and HTTPS, where HSTS is added."""

import re
from pathlib import Path

import pytest
from flask import current_app

from portal.core.headers import (
    FILE_POLICY,
    PAGE_POLICY,
    PDF_POLICY,
    STANDALONE_DOCUMENT_POLICY,
)
from tests.helpers.routes import expand, routes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"
# Rendered by WeasyPrint or pandoc, never sent to a browser as a page of the site.
NOT_PAGES = ("pdf/", "exports/statement.html")
INLINE = re.compile(
    r"""\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+\s*=|=["']\s*javascript:""", re.I
)


def expected_policy(response) -> str:
    if response.mimetype == "text/html" and response.headers.get("Content-Disposition"):
        return STANDALONE_DOCUMENT_POLICY
    if response.mimetype in ("text/html", "image/svg+xml"):
        return PAGE_POLICY
    return PDF_POLICY if response.mimetype == "application/pdf" else FILE_POLICY


def assert_headers(response, what: str, https: bool = False) -> None:
    policy = response.headers.get("Content-Security-Policy")
    assert policy == expected_policy(response), f"{what} ({response.mimetype}): CSP {policy}"
    framing = "SAMEORIGIN" if policy == PDF_POLICY else "DENY"
    assert response.headers.get("X-Frame-Options") == framing, what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") == "same-origin", what
    hsts = response.headers.get("Strict-Transport-Security")
    if https:
        assert hsts and "max-age=" in hsts, f"{what}: no HSTS over HTTPS"
    else:
        assert hsts is None, f"{what}: HSTS over plain HTTP"


def test_the_page_policy_allows_only_this_site():
    directives = dict(d.split(" ", 1) for d in PAGE_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in PAGE_POLICY
    assert "unsafe-eval" not in PAGE_POLICY
    # The stand-alone HTML export may style itself, and nothing else.
    assert "script" not in STANDALONE_DOCUMENT_POLICY
    assert "default-src 'none'" in STANDALONE_DOCUMENT_POLICY


@pytest.mark.parametrize(
    "path",
    sorted(
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if not str(p.relative_to(TEMPLATES)).startswith(NOT_PAGES)
    ),
)
def test_page_templates_have_no_inline_script_or_style(path):
    """The policy would block them: behaviour goes in static/js, looks in static/css."""
    found = INLINE.findall((TEMPLATES / path).read_text())
    assert not found, f"{path}: {found}"


@pytest.mark.parametrize(("endpoint", "method"), routes())
def test_every_route_sends_the_headers(endpoint, method, world, client_as):
    rule = next(r for r in current_app.url_map.iter_rules() if r.endpoint == endpoint)
    for role in ("anonymous", "admin"):
        client = client_as(role)
        for _label, url in expand(rule, world):
            response = client.open(url, method=method, data={"csrf_token": client.csrf_token()})
            assert_headers(response, f"{method} {url} as {role} ({response.status_code})")


@pytest.mark.parametrize(
    "path",
    sorted(str(p.relative_to(STATIC)) for p in STATIC.rglob("*") if p.is_file())
    + ["css/missing.css"],
)
def test_static_files_send_the_headers(path, client):
    response = client.get(f"/static/{path}")
    assert response.status_code in (200, 404)
    assert_headers(response, f"/static/{path}")


@pytest.mark.own_app  # adds a route
def test_error_pages_send_the_headers(app, client):
    @app.get("/test-only/boom")
    def boom():
        raise RuntimeError("a bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/test-only/boom")
    assert response.status_code == 500
    assert_headers(response, "500")
    assert_headers(client.get("/no/such/page"), "404")
    assert_headers(client.delete("/login"), "405")
    response = client.post("/login", data={}, csrf=False)
    assert response.status_code == 400
    assert_headers(response, "CSRF 400")


def test_hsts_only_over_https(client):
    assert_headers(client.get("/", base_url="https://localhost"), "https /", https=True)
    css = client.get("/static/css/site.css", base_url="https://localhost")
    assert_headers(css, "https css", https=True)
    assert_headers(client.get("/"), "http /")


def test_the_html_export_may_style_itself_and_nothing_else(world, client):
    response = client.get(f"/published/{world['approved']}.html")
    assert response.status_code == 200
    assert "<style>" in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == STANDALONE_DOCUMENT_POLICY
    assert_headers(response, "HTML export")
