"""Concurrent sign-ons against PostgreSQL under a real threaded WSGI server.

50 simultaneous attempts by one organization leave exactly one signature (the partial unique
index decides); 200 organizations signing through the public form at once all get in, without a
single 5xx. SQLite serializes writers, so these run on PostgreSQL only.
"""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import OutboxMessage, PublicSignOn, Signature
from tests import test_signons_support as support
from tests.conftest import PASSWORD, TOKEN_RE

pytestmark = pytest.mark.postgres  # row locks and concurrent writers: PostgreSQL's job

cast, statement_in = support.cast, support.statement_in


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that reports redirects instead of following them."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def token(self, path: str = "/login") -> str:
        _status, page = self.request(path)
        return TOKEN_RE.search(page).group(1)


# Like gunicorn's worker threads: every request is accepted at once, at most WORKERS run at a
# time. A request holds two pooled connections at its end (its own, and the outbox delivery's
# after commit), so unbounded threads on a 15-connection pool could starve each other.
WORKERS = 12


def _bounded(app, workers: int):
    slots = threading.BoundedSemaphore(workers)

    def wsgi(environ, start_response):
        with slots:
            return app(environ, start_response)

    return wsgi


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, _bounded(app, WORKERS), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)


def _together(n: int, work) -> list:
    """Run work(i) in n threads released at the same moment."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_fifty_simultaneous_attempts_leave_one_signature(server, cast, statement_in):
    statement = statement_in()
    browser = Browser(server)
    status, _ = browser.request(
        "/login",
        {"email": cast["signatory"].email, "password": PASSWORD, "csrf_token": browser.token()},
    )
    assert status == 302
    token = browser.token(f"/statements/{statement.id}/sign")
    data = {
        "csrf_token": token,
        "organization": cast["signer_org"].id,
        "revision_id": statement.current_revision_id,
        "confirm": "y",
    }
    statuses = _together(
        50, lambda _i: browser.request(f"/statements/{statement.id}/sign", data)[0]
    )
    assert sorted(set(statuses)) == [302, 409], statuses
    assert statuses.count(302) == 1
    assert _count(Signature, Signature.statement_id == statement.id) == 1


def test_two_hundred_organizations_at_once(server, cast, statement_in):
    statement = statement_in()
    started = time.perf_counter()
    url = f"/s/{statement.public_token}"

    def sign_on(i):
        browser = Browser(server)
        data = {
            "csrf_token": browser.token(url),
            "revision_id": statement.current_revision_id,
            "name": f"Grassroots Collective {i}",
            "country": "KE",
            "kind": "ngo",
            "contact_name": f"Contact {i}",
            "email": f"contact{i}@collective{i}.example.org",
            "publish": "y",
        }
        return browser, browser.request(url, data)[0]

    results = _together(200, sign_on)
    assert [s for _, s in results] == [200] * 200
    assert _count(PublicSignOn, PublicSignOn.statement_id == statement.id) == 200
    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.kind == "signon_confirm")
    ).all()
    links = [re.search(r"https?://[^/]+(/s/\S+/confirm/\S+)", b).group(1) for b in bodies]
    assert len(set(links)) == 200

    def confirm(i):
        browser = results[i][0]
        return browser.request(links[i], {"csrf_token": browser.token(links[i])})[0]

    statuses = _together(200, confirm)
    assert all(s < 500 for s in statuses), statuses
    assert statuses == [200] * 200
    assert _count(Signature, Signature.statement_id == statement.id) == 200
    assert time.perf_counter() - started < 30
