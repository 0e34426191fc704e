"""Issue 9, finding 8: registration proves the e-mail address before the account can act; the
reset answer does not tell known from unknown addresses; passwords are not common ones nor the
person's name or address."""

import re
import time

import pytest
from flask import current_app
from itsdangerous import TimestampSigner
from sqlalchemy import select

from portal.auth import operations as ops
from portal.auth.passwords import check_password_rules, common_passwords
from portal.auth.signed_tokens import (
    load_confirmation_token,
    make_confirmation_token,
    make_reset_token,
)
from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    AuditEvent,
    MemberRole,
    Membership,
    MembershipState,
    OutboxMessage,
    StatementState,
)
from portal.statements import operations as statement_ops
from tests.helpers.forms import registration

CONFIRM_RE = re.compile(r"https?://[^/\s]+(/confirm/[\w.\-]+)")
REGISTRATION = registration(org_kind="ngo")


def _messages(kind: str) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).filter_by(kind=kind).order_by(OutboxMessage.id)
    ).all()


def _confirmation_path(email: str) -> str:
    message = [m for m in _messages("confirm_email") if m.recipient == email][-1]
    return CONFIRM_RE.search(message.body).group(1)


def _person(**fields):
    with current_app.test_request_context():
        return ops.register_person(
            name=fields.get("name", "New Person"),
            email=fields.get("email", "new.person@example.org"),
            password=fields.get("password", "quite long words"),
        )


# -- operations ---------------------------------------------------------------------------------


def test_a_new_account_cannot_act_until_confirmed(app, make_org):
    org = make_org()
    user = _person()
    db.session.add(Membership(user=user, organization=org, role=MemberRole.ADMIN))
    db.session.commit()
    assert not user.email_confirmed and not user.can_act
    assert user.membership_in(org) is None and user.organizations() == []
    assert not org.can_edit(user) and not org.can_join(user)

    ops.confirm_email(make_confirmation_token(user))
    db.session.commit()
    assert user.can_act and user.membership_in(org) is not None and org.can_edit(user)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-1] == "user.email_confirmed"


def test_an_unconfirmed_member_can_neither_draft_nor_sign(app, crew, make_user):
    lead = crew["lead"]
    waiting = make_user(org=lead, role=MemberRole.SIGNATORY, confirmed=False)
    statement = statement_ops.create_statement(
        crew["drafter"],
        crew["round"],
        area=crew["round"].areas[0],
        organization=lead,
        title="A statement",
        body="Text.",
    )
    db.session.commit()
    assert statement.state == StatementState.DRAFT
    assert not statement.can_view(waiting) and not statement.can_edit(waiting)
    assert not lead.has_role(waiting, MemberRole.SIGNATORY)
    with pytest.raises(OperationError):
        statement_ops.create_statement(
            waiting,
            crew["round"],
            area=crew["round"].areas[0],
            organization=lead,
            title="Mine",
            body="Text.",
        )


def test_confirmation_token_is_single_use_and_bound_to_the_address(app):
    user = _person()
    token = make_confirmation_token(user)
    ops.confirm_email(token)
    db.session.commit()
    with pytest.raises(OperationError, match="already been used"):
        ops.confirm_email(token)

    other = _person(email="other@example.org")
    token = make_confirmation_token(other)
    other.email = "changed@example.org"
    db.session.commit()
    assert load_confirmation_token(token) is None


def test_confirmation_token_expires_and_cannot_be_forged(app, monkeypatch):
    user = _person()
    issued = int(time.time()) - app.config["EMAIL_CONFIRMATION_MAX_AGE"] - 60
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
        expired = make_confirmation_token(user)
    assert load_confirmation_token(expired) is None
    token = make_confirmation_token(user)
    assert load_confirmation_token(token) == user
    assert load_confirmation_token(token[:-2] + "xx") is None
    assert load_confirmation_token(make_reset_token(user)) is None  # another purpose


@pytest.mark.parametrize("how", ["reset", "invitation"])
def test_a_reset_or_an_invitation_also_proves_the_address(app, people, how):
    user = _person(email="invitee@example.org")
    db.session.commit()
    if how == "reset":
        ops.reset_password(make_reset_token(user), "another long passphrase")
    else:
        with current_app.test_request_context():
            _, token = ops_org().invite_member(people["org_admin"], people["org"], user.email)
        ops_org().accept_invitation(user, token)
    db.session.commit()
    assert user.email_confirmed


def ops_org():
    from portal.organizations import operations

    return operations


def test_join_request_reaches_the_admins_only_once_confirmed(app, people, client_as):
    with current_app.test_request_context():
        user = ops.register(
            name="Amina",
            email="amina@example.org",
            password="a long enough passphrase",
            join=people["org"],
        )
    db.session.commit()
    assert _messages("join_requested") == []
    page = client_as("org_admin").get("/organizations/mrn/members").get_data(as_text=True)
    assert "amina@example.org" not in page
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    with pytest.raises(OperationError, match="not confirmed"):
        ops_org().approve_join_request(people["org_admin"], membership)
    db.session.rollback()

    ops.confirm_email(make_confirmation_token(user))
    db.session.commit()
    assert [m.recipient for m in _messages("join_requested")] == [people["org_admin"].email]
    ops_org().approve_join_request(people["org_admin"], membership)
    db.session.commit()
    assert membership.state == MembershipState.ACTIVE


def test_resending_is_capped_per_hour(app):
    user = _person()
    db.session.commit()
    sent = [ops.resend_confirmation(user) for _ in range(ops.MAILS_PER_HOUR + 2)]
    db.session.commit()
    assert sent.count(True) == ops.MAILS_PER_HOUR - 1  # the registration sent the first
    assert len(_messages("confirm_email")) == ops.MAILS_PER_HOUR


# -- through HTTP -------------------------------------------------------------------------------


def test_registration_confirmation_round_trip(client):
    response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert "Confirm your e-mail address" in page and "Send a new confirmation link" in page
    assert 'href="/organizations/' not in page.split("<h2>Your organizations</h2>")[1]

    path = _confirmation_path("amina@diaspora.example")
    page = client.get(path).get_data(as_text=True)
    assert "Confirm my address" in page and '<meta name="referrer" content="no-referrer">' in page
    # Opening the link changes nothing (mail scanners open links); the button confirms.
    user = db.session.scalar(select(AuditEvent).filter_by(action="user.email_confirmed"))
    assert user is None
    response = client.post(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/profile")
    page = client.get("/profile").get_data(as_text=True)
    assert "is confirmed" in page and "Send a new confirmation link" not in page

    response = client.get(path)
    assert response.status_code == 404
    assert "already confirmed" in response.get_data(as_text=True)


def test_confirmation_link_works_without_being_signed_in(client, app):
    client.post("/register", data=REGISTRATION)
    path = _confirmation_path("amina@diaspora.example")
    app.test_client_class = type(client)
    stranger = app.test_client()
    response = stranger.post(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_bad_confirmation_link_is_a_clear_404(client):
    response = client.get("/confirm/not-a-token")
    assert response.status_code == 404
    assert "This confirmation link has expired" in response.get_data(as_text=True)


def test_resend_from_the_banner(client, login, make_user):
    user = make_user(confirmed=False)
    login(user)
    response = client.post("/confirm", data={"next": "/organizations/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/organizations/")
    assert [m.recipient for m in _messages("confirm_email")] == [user.email]
    assert "new confirmation link" in client.get("/profile").get_data(as_text=True)


def test_an_unconfirmed_person_cannot_ask_to_join(client, login, make_user, make_org):
    org = make_org()
    login(make_user(confirmed=False))
    assert client.post(f"/organizations/{org.slug}/join").status_code == 403
    assert db.session.scalar(select(Membership)) is None


def test_reset_answer_is_the_same_and_sent_after_the_response(client, make_user, monkeypatch):
    """Nothing is looked up before the answer goes out, for known and unknown addresses alike."""
    user = make_user()
    calls = []
    monkeypatch.setattr(ops, "request_password_reset", lambda *a: calls.append(a))

    def answer(email):
        before = len(calls)
        response = client.post("/reset", data={"email": email}, buffered=False)
        ran_before_the_answer = len(calls) > before
        response.close()
        return response.status_code, response.headers["Location"], ran_before_the_answer

    known, unknown = answer(user.email), answer("nobody@example.org")
    assert known == unknown
    assert known[2] is False  # the lookup had not run when the response was complete
    assert [c[0] for c in calls] == [user.email, "nobody@example.org"]


# -- password rules -----------------------------------------------------------------------------


def test_the_common_password_list_is_shipped():
    assert len(common_passwords()) >= 9_000 and "password123" in common_passwords()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "most common passwords"),
        ("Qwertyuiop", "most common passwords"),
        ("1234567890", "most common passwords"),
        ("amina diallo", "name or e-mail"),
        ("AminaDiallo!", "name or e-mail"),
        ("amina.diallo@example.org", "name or e-mail"),
    ],
)
def test_weak_passwords_are_refused(app, password, message):
    with pytest.raises(OperationError, match=message) as error:
        check_password_rules(password, name="Amina Diallo", email="amina.diallo@example.org")
    assert error.value.field == "password"


def test_a_good_password_passes(app):
    check_password_rules("river lantern obelisk", name="Amina Diallo", email="amina@example.org")


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        (
            "/register",
            {**REGISTRATION, "password": "password123", "password_again": "password123"},
            "password",
        ),
        (
            "/register",
            {**REGISTRATION, "password": "Amina Diallo", "password_again": "Amina Diallo"},
            "password",
        ),
    ],
)
def test_registration_shows_the_password_error_next_to_the_field(client, url, data, field):
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in page
    assert db.session.scalar(select(OutboxMessage)) is None


def test_change_password_checks_the_list_too(client, login, make_user):
    from tests.helpers.clients import PASSWORD

    login(make_user())
    response = client.post(
        "/profile/password",
        data={
            "current_password": PASSWORD,
            "new_password": "password123",
            "new_password_again": "password123",
        },
    )
    assert response.status_code == 400
    assert 'id="new_password-error"' in response.get_data(as_text=True)
