"""Account operations without HTTP: registration, credentials, reset tokens, profile, roles."""

import time

import pytest
from flask import current_app
from itsdangerous import TimestampSigner
from sqlalchemy import select

from portal.auth import operations as ops
from portal.auth.signed_tokens import load_reset_token, make_reset_token
from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    AuditEvent,
    MemberRole,
    Membership,
    MembershipState,
    Organization,
    OutboxMessage,
    SiteRole,
    User,
    VerificationStatus,
)
from tests.helpers.clients import PASSWORD

NEW_ORG = dict(
    name="Diaspora Voices Senegal",
    acronym="DVS",
    country="SN",
    kind="migrant_led",
    website="https://dvs.example.org",
)


def actions() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def messages(kind=None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def register(**overrides):
    fields = dict(name="Amina Diallo", email="Amina@Diaspora.example", password="long enough pw")
    fields.update(overrides)
    if "join" not in fields and "new_organization" not in fields:
        fields["new_organization"] = dict(NEW_ORG)
    # The organizations' e-mails link to their pages, which needs a request (as in a view).
    with current_app.test_request_context():
        return ops.register(**fields)


def test_register_with_new_organization(app, make_user):
    coordinator = make_user(site_role=SiteRole.COORDINATOR)
    user = register()
    db.session.commit()

    assert user.email == "amina@diaspora.example"
    assert user.check_password("long enough pw")
    org = db.session.scalar(select(Organization).filter_by(name=NEW_ORG["name"]))
    assert org.status == VerificationStatus.PENDING
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    assert membership.role == MemberRole.ADMIN and membership.state == MembershipState.ACTIVE
    assert actions() == ["user.registered", "organization.registered"]
    assert [m.recipient for m in messages("confirm_email")] == [user.email]
    # Until the address is confirmed the account holds none of its roles, and the coordinators
    # hear of the organization only then.
    assert user.membership_in(org) is None
    assert messages("organization_registered") == []
    ops.mark_email_confirmed(user, "test")
    db.session.commit()
    assert user.membership_in(org) == membership
    assert coordinator.email in [m.recipient for m in messages("organization_registered")]


def test_register_asking_to_join(app, people):
    user = register(join=people["org"])
    db.session.commit()

    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    assert membership.state == MembershipState.REQUESTED
    assert membership.organization_id == people["org"].id
    assert "membership.requested" in actions()
    assert messages("join_requested") == []  # the admins hear of it once the address is proven
    ops.mark_email_confirmed(user, "test")
    db.session.commit()
    assert people["org_admin"].email in [m.recipient for m in messages("join_requested")]


@pytest.mark.parametrize(
    "email", ["amina@diaspora.example", "AMINA@DIASPORA.EXAMPLE", " amina@Diaspora.example "]
)
def test_email_is_unique_regardless_of_case(app, make_user, email):
    make_user(email="amina@diaspora.example")
    with pytest.raises(OperationError) as error:
        register(email=email)
    assert error.value.field == "email"
    assert "already registered" in error.value.message


@pytest.mark.parametrize(
    "overrides, field",
    [
        (dict(password="short"), "password"),
        (dict(password="x" * 300), "password"),
        (dict(name="   "), "name"),
        (dict(timezone="Mars/Olympus"), "timezone"),
        (dict(new_organization={**NEW_ORG, "name": "ab"}), "org_name"),
        (dict(new_organization={**NEW_ORG, "country": "XX"}), "org_country"),
        (dict(new_organization={**NEW_ORG, "website": "ftp://x"}), "org_website"),
    ],
)
def test_register_refuses_bad_input_with_the_field(app, overrides, field):
    with pytest.raises(OperationError) as error:
        register(**overrides)
    assert error.value.field == field


def test_register_needs_exactly_one_organization_choice(app, people):
    with pytest.raises(OperationError):
        register(new_organization=dict(NEW_ORG), join=people["org"])
    with pytest.raises(OperationError):
        ops.register(name="A", email="a@b.org", password="long enough pw")


def test_register_cannot_join_an_unverified_organization(app, make_org):
    pending = make_org(status=VerificationStatus.PENDING)
    with pytest.raises(OperationError) as error:
        register(join=pending)
    assert error.value.field == "organization"


def test_authenticate(app, make_user):
    user = make_user(email="signer@example.org")
    assert ops.authenticate("Signer@Example.org", PASSWORD) == user
    assert ops.authenticate("signer@example.org", "wrong password") is None
    assert ops.authenticate("nobody@example.org", PASSWORD) is None
    user.active = False
    db.session.commit()
    assert ops.authenticate("signer@example.org", PASSWORD) is None


def test_record_login_sets_time_and_audits(app, make_user):
    user = make_user()
    ops.record_login(user)
    db.session.commit()
    assert user.last_login_at is not None
    event = db.session.scalar(select(AuditEvent).filter_by(action="user.login"))
    assert event.actor_id == user.id and event.object_id == user.id


def test_reset_token_round_trip_and_single_use(app, make_user):
    user = make_user()
    token = make_reset_token(user)
    assert load_reset_token(token) == user
    user.set_password("another long password")
    assert load_reset_token(token) is None  # the password it was made for is gone


def test_reset_token_refused_when_tampered_expired_or_inactive(app, make_user, monkeypatch):
    user = make_user()
    token = make_reset_token(user)
    assert load_reset_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB")) is None
    assert load_reset_token("not-a-token") is None

    two_hours_ago = int(time.time()) - 7200
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: two_hours_ago)
        old_token = make_reset_token(user)
    assert app.config["PASSWORD_RESET_MAX_AGE"] < 7200
    assert load_reset_token(old_token) is None

    user.active = False
    assert load_reset_token(token) is None


def test_request_reset_is_silent_for_unknown_and_inactive(app, make_user):
    inactive = make_user()
    inactive.active = False
    db.session.commit()
    with app.test_request_context():
        ops.request_password_reset("nobody@example.org")
        ops.request_password_reset(inactive.email)
    assert messages() == []
    assert actions() == []


def test_reset_password_once(app, make_user):
    user = make_user()
    with app.test_request_context():
        ops.request_password_reset(user.email.upper())
    (message,) = messages("password_reset")
    token = message.body.split("/reset/")[1].split()[0]

    ops.reset_password(token, "a brand new password")
    db.session.commit()
    assert user.check_password("a brand new password")
    assert actions() == ["user.password_reset_requested", "user.password_reset"]
    assert len(messages("password_changed")) == 1

    with pytest.raises(OperationError):
        ops.reset_password(token, "yet another password")
    assert user.check_password("a brand new password")


def test_reset_password_checks_length(app, make_user):
    user = make_user()
    with pytest.raises(OperationError) as error:
        ops.reset_password(make_reset_token(user), "short")
    assert error.value.field == "password"


def test_change_password(app, make_user):
    user = make_user()
    with pytest.raises(OperationError) as error:
        ops.change_password(user, current_password="wrong", new_password="a new long password")
    assert error.value.field == "current_password"
    with pytest.raises(OperationError) as error:
        ops.change_password(user, current_password=PASSWORD, new_password="short")
    assert error.value.field == "new_password"
    ops.change_password(user, current_password=PASSWORD, new_password="a new long password")
    db.session.commit()
    assert user.check_password("a new long password")
    assert actions() == ["user.password_changed"]
    assert [m.recipient for m in messages("password_changed")] == [user.email]


def test_update_profile(app, make_user):
    user = make_user(name="Old Name")
    ops.update_profile(user, name=" New Name ", timezone="Africa/Dakar")
    db.session.commit()
    assert (user.name, user.timezone) == ("New Name", "Africa/Dakar")
    event = db.session.scalar(select(AuditEvent).filter_by(action="user.profile_updated"))
    assert event.details["changed"]["timezone"] == [None, "Africa/Dakar"]

    ops.update_profile(user, name="New Name", timezone="Africa/Dakar")  # nothing changed
    assert actions() == ["user.profile_updated"]
    with pytest.raises(OperationError) as error:
        ops.update_profile(user, name="New Name", timezone="Nowhere/Special")
    assert error.value.field == "timezone"
    ops.update_profile(user, name="New Name", timezone="")
    assert user.timezone is None


def test_site_role_and_activation_are_admin_only(app, people):
    admin, coordinator, member = people["admin"], people["coordinator"], people["member"]
    with pytest.raises(OperationError):
        ops.set_site_role(coordinator, member, SiteRole.COORDINATOR)
    with pytest.raises(OperationError):
        ops.set_active(coordinator, member, False)
    with pytest.raises(OperationError):
        ops.set_site_role(admin, admin, SiteRole.USER)
    with pytest.raises(OperationError):
        ops.set_active(admin, admin, False)
    with pytest.raises(OperationError) as error:
        ops.set_site_role(admin, member, "superuser")
    assert error.value.field == "site_role"
    assert actions() == []


def test_admin_changes_role_and_deactivates(app, people):
    admin, member = people["admin"], people["member"]
    ops.set_site_role(admin, member, "coordinator")
    ops.set_active(admin, member, False)
    ops.set_active(admin, member, True)
    db.session.commit()
    assert member.site_role == SiteRole.COORDINATOR and member.active
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        "user.role_changed",
        "user.deactivated",
        "user.reactivated",
    ]
    assert events[0].details == {"old": "user", "new": "coordinator"}
    assert all(e.actor_id == admin.id and e.object_id == member.id for e in events)


def test_welcome_message_without_a_request_links_to_site_url(app):
    # Seeds and CLI commands run without a request: links are built against SITE_URL.
    app.config["SITE_URL"] = "https://portal.example.org"
    with app.app_context():  # a context of its own, whose URL adapter sees the new SITE_URL
        user = ops.register_person(
            name="Seeded", email="seeded@example.org", password="long enough pw", confirmed=True
        )
        db.session.commit()
        email = user.email
    (message,) = messages("welcome")
    assert message.recipient == email == "seeded@example.org"
    assert "https://portal.example.org/profile" in message.body
    assert db.session.scalar(select(User).filter_by(email="seeded@example.org")) is not None
