"""A real threaded WSGI server for the concurrency tests (a plugin, see conftest
`pytest_plugins`), a cookie-keeping client for it, and threads released together."""

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal.extensions import db
from tests.helpers.clients import TOKEN_RE


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
