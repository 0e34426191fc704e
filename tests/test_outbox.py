"""The outbox page: coordinators and admins read every stored message."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import OutboxMessage, OutboxStatus, utcnow
from tests.helpers.forms import registration
from tests.query_count import count_queries

ROLES = ["anonymous", "member", "signatory", "org_admin", "outsider", "coordinator", "admin"]


def add_messages(count, start=0, **fields):
    now = utcnow()
    messages = [
        OutboxMessage(
            recipient=fields.get("recipient", f"person{i}@example.org"),
            subject=f"Message number {i}",
            body=f"Body of message {i}",
            kind=fields.get("kind", "notice"),
            status=fields.get("status", OutboxStatus.LOGGED),
            created_at=now - timedelta(minutes=10_000 - i),
        )
        for i in range(start, start + count)
    ]
    db.session.add_all(messages)
    db.session.commit()
    return messages


@pytest.mark.parametrize("role", ROLES)
def test_outbox_access(client_as, role):
    (message,) = add_messages(1)
    client = client_as(role)
    expected = {"anonymous": 302, "coordinator": 200, "admin": 200}.get(role, 403)
    for url in ("/outbox", f"/outbox/{message.id}"):
        response = client.get(url)
        assert response.status_code == expected, url
        if role == "anonymous":
            assert "/login?next=" in response.headers["Location"]


def test_outbox_lists_newest_first_with_status(client_as):
    add_messages(3)
    page = client_as("coordinator").get("/outbox").get_data(as_text=True)
    positions = [page.index(f"Message number {i}") for i in (2, 1, 0)]
    assert positions == sorted(positions)
    assert "person2@example.org" in page and "logged" in page
    assert "Body of message" not in page  # bodies only on the detail page


def test_outbox_paginates(client_as):
    add_messages(55)
    client = client_as("coordinator")
    first = client.get("/outbox").get_data(as_text=True)
    assert "Message number 54" in first and "Message number 4<" not in first
    assert "Page 1 of 2" in first
    second = client.get("/outbox?page=2").get_data(as_text=True)
    assert "Message number 4<" in second and "Message number 54" not in second
    assert client.get("/outbox?page=99").status_code == 200


def test_outbox_search_by_recipient(client_as):
    add_messages(2)
    add_messages(1, start=100, recipient="lead@example.org")
    page = client_as("coordinator").get("/outbox?q=LEAD@").get_data(as_text=True)
    assert "lead@example.org" in page and "person1@example.org" not in page


def test_outbox_queries_do_not_grow_with_rows(client_as):
    client = client_as("coordinator")
    add_messages(3)
    few = count_queries(client, "/outbox")
    add_messages(120, start=3)
    many = count_queries(client, "/outbox")
    assert many == few
    assert few <= 4  # the user, the page of messages, the count


def test_outbox_detail_shows_body(client_as):
    (message,) = add_messages(1)
    page = client_as("coordinator").get(f"/outbox/{message.id}").get_data(as_text=True)
    assert "Body of message 0" in page and message.recipient in page


def test_registration_mail_appears_in_outbox(client, client_as, make_org):
    client.post("/register", data=registration(org_kind="ngo"))
    page = client_as("coordinator").get("/outbox").get_data(as_text=True)
    assert "amina@diaspora.example" in page and "Confirm your e-mail address" in page


def test_missing_message_is_404(client_as):
    assert client_as("coordinator").get("/outbox/424242").status_code == 404
