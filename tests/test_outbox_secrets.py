"""Issue 9, finding 2: a coordinator must not take over an admin's account by reading a reset
link on /outbox. No link that is a credential is ever shown to anyone but its recipient: the
outbox page and the production log hide its token; `portal outbox show ID` (on the server) and
the debug log show it whole."""

import logging
import re

import pytest
from flask import current_app
from sqlalchemy import select

from portal.auth import operations as auth_ops
from portal.cli import flask_group
from portal.core.secret_links import carries_secret, redact, site_url_for
from portal.extensions import db
from portal.mail import deliver
from portal.models import OutboxMessage, OutboxStatus
from portal.organizations import operations as org_ops

TOKEN_PATH = re.compile(r"/(?:reset|confirm|invitations|signatures/manage)/([\w.\-]{20,})")


def _messages(kind: str) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).filter_by(kind=kind)).all()


def _token_of(message: OutboxMessage) -> str:
    return TOKEN_PATH.search(message.body).group(1)


def _queue_every_private_kind(people) -> list[OutboxMessage]:
    with current_app.test_request_context():
        auth_ops.request_password_reset(people["admin"].email)
        auth_ops.register_person(
            name="New Person", email="new.person@example.org", password="quite long words"
        )
        org_ops.invite_member(people["org_admin"], people["org"], "invitee@example.org")
    db.session.commit()
    messages = [_messages(kind)[-1] for kind in ("password_reset", "confirm_email", "invitation")]
    for message in messages:
        message.status = OutboxStatus.LOGGED  # delivered to the log: no SMTP in the demo
    db.session.commit()
    return messages


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_outbox_never_shows_a_token(client_as, people, role):
    messages = _queue_every_private_kind(people)
    client = client_as(role)
    for message in messages:
        token = _token_of(message)
        assert message.secret, message.kind
        page = client.get(f"/outbox/{message.id}").get_data(as_text=True)
        assert token not in page, message.kind
        assert "[hidden]" in page and "private link" in page
        assert token not in client.get("/outbox").get_data(as_text=True)


def test_a_coordinator_cannot_reset_an_admins_password_from_the_outbox(client_as, people):
    """The attack as reported: ask for the admin's reset, read the outbox, follow the link."""
    coordinator = client_as("coordinator")
    with current_app.test_request_context():
        auth_ops.request_password_reset(people["admin"].email)
    db.session.commit()
    (message,) = _messages("password_reset")
    page = coordinator.get(f"/outbox/{message.id}").get_data(as_text=True)
    links = re.findall(r"/reset/[^\s<\"]+", page)
    assert links, "the page still shows where the link leads"
    for link in links:
        page = coordinator.get(link).get_data(as_text=True)
        assert "has expired" in page and 'name="password_again"' not in page


def test_messages_stored_before_the_mark_are_redacted_too(client_as, app):
    with app.test_request_context():
        link = site_url_for("auth.reset_password", token="x" * 40)
    message = OutboxMessage(
        recipient="old@example.org",
        subject="Reset",
        body=f"Open {link}",
        kind="password_reset",
        status=OutboxStatus.LOGGED,
        secret=False,
    )
    db.session.add(message)
    db.session.commit()
    page = client_as("coordinator").get(f"/outbox/{message.id}").get_data(as_text=True)
    assert "x" * 40 not in page


def test_links_without_a_token_stay_readable(client_as, app):
    with app.test_request_context():
        link = site_url_for("statements.show", statement_id=7)
    message = OutboxMessage(
        recipient="a@example.org", subject="S", body=f"See {link}", kind="statement_submitted"
    )
    db.session.add(message)
    db.session.commit()
    assert not carries_secret(message.body)
    page = client_as("coordinator").get(f"/outbox/{message.id}").get_data(as_text=True)
    assert link in page


def test_every_token_route_is_recognised(app):
    """From the route list: any route with a token in its path is a private link, so a new one
    is covered without a list to keep up to date."""
    routes = [r for r in app.url_map.iter_rules() if any("token" in a for a in r.arguments)]
    assert {"auth.reset_password", "auth.confirm_email", "organizations.invitation"} <= {
        r.endpoint for r in routes
    }
    with app.test_request_context():
        for rule in routes:
            values = {a: ("T0ken" * 8 if "token" in a else 1) for a in rule.arguments}
            url = site_url_for(rule.endpoint, **values)
            assert carries_secret(f"Open {url} now"), rule.endpoint
            assert "T0ken" not in redact(f"Open {url} now"), rule.endpoint


def test_a_token_in_the_query_string_is_hidden_too(app):
    with app.test_request_context():
        url = site_url_for("core.home", token="Q" * 30)
    assert carries_secret(url) and "Q" * 30 not in redact(f"see {url}")


@pytest.mark.parametrize(("debug", "shown"), [(False, False), (True, True)])
def test_the_log_shows_private_links_only_in_debug_mode(app, people, caplog, debug, shown):
    with app.test_request_context():
        auth_ops.request_password_reset(people["admin"].email)
    db.session.commit()  # outside a request, delivery runs at commit (and logs)
    (message,) = _messages("password_reset")
    message.status = OutboxStatus.QUEUED
    db.session.commit()
    app.debug = debug
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        deliver([message.id])
    assert (_token_of(message) in caplog.text) is shown
    if not shown:
        assert f"portal outbox show {message.id}" in caplog.text


def test_cli_prints_the_whole_message(app, people):
    with app.test_request_context():
        auth_ops.request_password_reset(people["admin"].email)
    db.session.commit()
    (message,) = _messages("password_reset")
    runner = app.test_cli_runner()
    result = runner.invoke(
        flask_group(), ["outbox", "show", str(message.id)], obj=_script_info(app)
    )
    assert result.exit_code == 0, result.output
    assert _token_of(message) in result.output and people["admin"].email in result.output

    result = runner.invoke(flask_group(), ["outbox", "list"], obj=_script_info(app))
    assert result.exit_code == 0 and "password_reset (private link)" in result.output

    result = runner.invoke(flask_group(), ["outbox", "show", "424242"], obj=_script_info(app))
    assert result.exit_code != 0 and "No message 424242" in result.output


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
