"""Concurrent sign-ons against PostgreSQL under a real threaded WSGI server.

50 simultaneous attempts by one organization leave exactly one signature (the partial unique
index decides); 200 organizations signing through the public form at once all get in, without a
single 5xx. SQLite serializes writers, so these run on PostgreSQL only.
"""

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, PublicSignOn, Signature
from tests.helpers.clients import PASSWORD
from tests.live_server import Browser, _count, _together

pytestmark = pytest.mark.postgres  # row locks and concurrent writers: PostgreSQL's job


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
