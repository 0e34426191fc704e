"""The test client as a browser uses the portal: CSRF token fetched from a page and sent with
every form post, sign-in with the one password every test user has."""

import re
from urllib.parse import urlsplit

from flask.testing import FlaskClient

PASSWORD = "correct horse battery staple"
TOKEN_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


class PortalClient(FlaskClient):
    """Sends the session's CSRF token with every form post unless told csrf=False."""

    def csrf_token(self) -> str:
        page = self.get("/login").get_data(as_text=True)
        return TOKEN_RE.search(page).group(1)

    def open(self, *args, **kwargs):
        # The app fixture keeps one app context pushed, and requests reuse it: without this,
        # `g` (Flask-Login's cached user, Flask-WTF's token) would leak from one request, or
        # one client, to the next.
        from flask import g

        for key in list(g):
            g.pop(key)
        # Buffered, as a WSGI server consumes it: the response is closed, so what the app runs
        # after the response has gone out (outbox delivery) has run when the test goes on.
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


def signed_in(app, user=None) -> PortalClient:
    """A fresh client of `app`, signed in as `user` (None: an anonymous visitor)."""
    app.test_client_class = PortalClient
    client = app.test_client()
    if user is not None:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
    return client


def location_path(response) -> str:
    """The path (and query) a redirect points to, checked to stay on this site."""
    parts = urlsplit(response.headers["Location"])
    assert parts.netloc in ("", "localhost")
    return parts.path + (f"?{parts.query}" if parts.query else "")
