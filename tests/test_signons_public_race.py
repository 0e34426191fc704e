"""50 identical public sign-on requests at once leave one waiting request, and following its link
one organization (issue 9, finding 12). Concurrent writers: PostgreSQL only, under the same
threaded server as tests/test_signons_concurrency.py."""

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Organization, OutboxMessage, PublicSignOn, Signature
from tests.live_server import Browser, _count, _together

pytestmark = pytest.mark.postgres


def test_fifty_identical_public_requests_leave_one(server, cast, statement_in):
    statement = statement_in()
    url = f"/s/{statement.public_token}"
    browsers = [Browser(server) for _ in range(50)]
    tokens = [b.token(url) for b in browsers]
    data = {
        "revision_id": statement.current_revision_id,
        "name": "Global Alliance Against Traffic",
        "country": "international",
        "kind": "network",
        "contact_name": "Ana",
        "email": "ana@gaatw.example.org",
        "publish": "y",
    }

    def request(i):
        return browsers[i].request(url, {**data, "csrf_token": tokens[i]})[0]

    statuses = _together(50, request)
    assert all(s < 500 for s in statuses), statuses
    assert _count(PublicSignOn, PublicSignOn.statement_id == statement.id) == 1
    waiting = db.session.scalars(select(PublicSignOn)).one()
    # Every request mailed a link; only the one of the request that stayed works.
    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.kind == "signon_confirm")
    ).all()
    links = {re.search(r"https?://[^/]+(/s/\S+/confirm/\S+)", b).group(1) for b in bodies}
    browser = Browser(server)
    confirmed = [
        link
        for link in links
        if browser.request(link, {"csrf_token": browser.token(link)})[0] == 200
    ]
    assert len(confirmed) == 1
    assert _count(Signature, Signature.statement_id == statement.id) == 1
    assert _count(Organization, Organization.name == "Global Alliance Against Traffic") == 1
    db.session.refresh(waiting)
    assert waiting.confirmed_at is not None
