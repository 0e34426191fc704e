"""Organization operations without HTTP: registration, verification, joining, invitations, roles."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Invitation,
    MemberRole,
    Membership,
    MembershipState,
    Organization,
    OutboxMessage,
    SiteRole,
    VerificationStatus,
)
from portal.organizations import operations as ops
from tests.helpers.audit import assert_audited


def actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def mail_to(address):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)).all()


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture(autouse=True)
def request_context(app):
    # E-mails carry absolute links, which need a host to build them from.
    with app.test_request_context():
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(email="coord@example.org", site_role=SiteRole.COORDINATOR)


def test_register_organization_is_pending_with_its_person_as_admin(make_user, coordinator):
    user = make_user()
    org = ops.register_organization(
        user,
        name="  Diaspora   Voices Senegal ",
        acronym="DVS",
        country="sn",
        kind="migrant_led",
        website="dvs.example.org",
    )
    db.session.commit()
    assert org.name == "Diaspora Voices Senegal"
    assert org.slug == "diaspora-voices-senegal"
    assert org.country == "SN" and org.website == "https://dvs.example.org"
    assert org.status == VerificationStatus.PENDING
    assert org.role_of(user) == MemberRole.ADMIN
    assert actions() == ["organization.registered"]
    assert_audited("organization.registered", actor=user, subject=org, organization=org)
    [message] = mail_to(coordinator.email)
    assert "Diaspora Voices Senegal" in message.body
    assert "/organizations/verification" in message.body


def test_slugs_are_unique_and_avoid_reserved_paths(make_user, make_org):
    make_org(name="Taken", slug="civil-society")
    user = make_user()
    org = ops.register_organization(user, name="Civil Society", country="CH", kind="ngo")
    assert org.slug == "civil-society-2"
    other = ops.register_organization(user, name="Verification", country="CH", kind="ngo")
    assert other.slug == "verification-2"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (dict(name="AB"), "name"),
        (dict(country="XX"), "country"),
        (dict(country=""), "country"),
        (dict(kind="club"), "kind"),
        (dict(website="ftp://example.org"), "website"),
        (dict(website="javascript:alert(1)"), "website"),
        (dict(website="https://nodot"), "website"),
        (dict(acronym="A" * 41), "acronym"),
    ],
)
def test_register_refuses_bad_fields_and_writes_nothing(make_user, fields, field):
    user = make_user()
    data = dict(name="Good Name", country="KE", kind="ngo", website=None) | fields
    with pytest.raises(OperationError) as refused:
        ops.register_organization(user, **data)
    assert refused.value.field == field
    db.session.rollback()
    assert count(Organization) == 0 and count(AuditEvent) == 0


def test_register_refuses_a_name_already_taken(make_user, make_org):
    make_org(name="Migrant Forum Asia")
    with pytest.raises(OperationError) as refused:
        ops.register_organization(make_user(), name="migrant forum asia", country="PH")
    assert refused.value.field == "name"


def test_verify_and_reject_tell_the_admins(make_user, coordinator):
    admin = make_user()
    org = ops.register_organization(admin, name="Pending One", country="MX", kind="ngo")
    ops.verify_organization(coordinator, org)
    db.session.commit()
    assert org.verified and org.verified_at is not None
    assert_audited("organization.verified", actor=coordinator, subject=org, organization=org)
    assert any(m.kind == "organization_verified" for m in mail_to(admin.email))
    with pytest.raises(OperationError):
        ops.verify_organization(coordinator, org)

    other = ops.register_organization(admin, name="Pending Two", country="MX", kind="ngo")
    with pytest.raises(OperationError) as refused:
        ops.reject_organization(coordinator, other, " ")
    assert refused.value.field == "reason"
    ops.reject_organization(coordinator, other, "We could not find this organization.")
    db.session.commit()
    assert other.status == VerificationStatus.REJECTED
    assert_audited(
        "organization.rejected",
        actor=coordinator,
        subject=other,
        organization=other,
        reason="We could not find this organization.",
    )
    assert other.status_reason == "We could not find this organization."
    rejected = [m for m in mail_to(admin.email) if m.kind == "organization_rejected"]
    assert "could not find" in rejected[0].body
    assert actions().count("organization.verified") == 1
    assert actions().count("organization.rejected") == 1


def test_only_coordinators_verify(people):
    org = people["org"]
    org.status = VerificationStatus.PENDING
    for role in ("member", "org_admin", "outsider"):
        with pytest.raises(OperationError):
            ops.verify_organization(people[role], org)
    assert org.status == VerificationStatus.PENDING


def test_join_request_then_approve(people):
    org, outsider, admin = people["org"], people["outsider"], people["org_admin"]
    membership = ops.request_to_join(outsider, org)
    db.session.commit()
    assert membership.state == MembershipState.REQUESTED
    assert org.role_of(outsider) is None  # not a member until approved
    [message] = mail_to(admin.email)
    assert outsider.email in message.body
    with pytest.raises(OperationError):
        ops.request_to_join(outsider, org)
    ops.approve_join_request(admin, membership)
    db.session.commit()
    assert org.role_of(outsider) == MemberRole.MEMBER
    assert any(m.kind == "join_approved" for m in mail_to(outsider.email))
    with pytest.raises(OperationError):
        ops.request_to_join(outsider, org)
    assert actions() == ["membership.requested", "membership.approved"]
    assert_audited("membership.requested", actor=outsider, subject=membership, organization=org)
    assert_audited("membership.approved", actor=admin, subject=membership, organization=org)


def test_join_request_declined_and_only_admins_decide(people):
    org, outsider = people["org"], people["outsider"]
    membership = ops.request_to_join(outsider, org)
    for role in ("member", "signatory", "coordinator"):
        with pytest.raises(OperationError):
            ops.approve_join_request(people[role], membership)
    ops.decline_join_request(people["org_admin"], membership)
    assert membership.state == MembershipState.DECLINED
    with pytest.raises(OperationError):
        ops.approve_join_request(people["org_admin"], membership)
    assert_audited(
        "membership.declined", actor=people["org_admin"], subject=membership, organization=org
    )


def test_invitation_token_is_stored_hashed_and_accepted_once(people, make_user):
    org, admin = people["org"], people["org_admin"]
    invitation, token = ops.invite_member(admin, org, "New.Person@Example.NET", "signatory")
    db.session.commit()
    assert invitation.email == "new.person@example.net"
    assert invitation.token_hash != token and len(invitation.token_hash) == 64
    [message] = mail_to("new.person@example.net")
    assert f"/organizations/invitations/{token}" in message.body

    stranger = make_user(email="someone.else@example.net")
    with pytest.raises(OperationError):
        ops.accept_invitation(stranger, token)
    invitee = make_user(email="new.person@example.net")
    membership = ops.accept_invitation(invitee, token)
    db.session.commit()
    assert membership.role == MemberRole.SIGNATORY and membership.is_active
    assert ops.find_invitation(token) is None
    with pytest.raises(OperationError):
        ops.accept_invitation(invitee, token)
    assert actions() == ["invitation.sent", "invitation.accepted"]
    assert_audited("invitation.sent", actor=admin, subject=invitation, organization=org)
    assert_audited("invitation.accepted", actor=invitee, organization=org)


def test_expired_invitation_is_refused(people, make_user):
    invitation, token = ops.invite_member(people["org_admin"], people["org"], "late@example.net")
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(OperationError):
        ops.accept_invitation(make_user(email="late@example.net"), token)


def test_reinviting_replaces_the_open_invitation(people):
    org, admin = people["org"], people["org_admin"]
    _, first = ops.invite_member(admin, org, "twice@example.net")
    _, second = ops.invite_member(admin, org, "twice@example.net")
    db.session.commit()
    assert ops.find_invitation(first) is None
    assert ops.find_invitation(second) is not None
    assert count(Invitation) == 1


def test_inviting_a_member_or_as_non_admin_is_refused(people):
    org = people["org"]
    with pytest.raises(OperationError) as refused:
        ops.invite_member(people["org_admin"], org, people["member"].email)
    assert refused.value.field == "email"
    with pytest.raises(OperationError):
        ops.invite_member(people["signatory"], org, "x@example.net")


def test_invitation_settles_a_pending_request(people, make_user):
    org, outsider = people["org"], people["outsider"]
    ops.request_to_join(outsider, org)
    _, token = ops.invite_member(people["org_admin"], org, outsider.email, "member")
    membership = ops.accept_invitation(outsider, token)
    assert membership.is_active
    assert db.session.scalar(select(func.count(Membership.id)).filter_by(user_id=outsider.id)) == 1


@pytest.mark.parametrize("role", ["signatory", "admin", "member"])
def test_grant_and_revoke_roles(people, role):
    org, admin, member = people["org"], people["org_admin"], people["member"]
    membership = member.membership_in(org)
    ops.set_member_role(admin, membership, role)
    db.session.commit()
    assert org.role_of(member) == MemberRole(role)
    expected = [] if role == "member" else ["membership.role_changed"]
    assert actions() == expected
    if expected:
        assert_audited("membership.role_changed", actor=admin, subject=membership, organization=org)


def test_last_admin_is_never_demoted_or_removed(people):
    org, admin = people["org"], people["org_admin"]
    own = admin.membership_in(org)
    with pytest.raises(OperationError) as refused:
        ops.set_member_role(admin, own, "member")
    assert "last admin" in refused.value.message
    with pytest.raises(OperationError):
        ops.remove_member(admin, own)
    assert org.role_of(admin) == MemberRole.ADMIN

    ops.set_member_role(admin, people["signatory"].membership_in(org), "admin")
    ops.set_member_role(admin, own, "signatory")
    db.session.commit()
    assert org.role_of(admin) == MemberRole.SIGNATORY


def test_remove_member(people):
    org, admin, member = people["org"], people["org_admin"], people["member"]
    membership = member.membership_in(org)
    ops.remove_member(admin, membership)
    db.session.commit()
    db.session.expire_all()
    assert org.role_of(member) is None
    assert actions() == ["membership.removed"]
    assert_audited("membership.removed", actor=admin, subject=membership, organization=org)
    with pytest.raises(OperationError):
        ops.remove_member(people["signatory"], people["org_admin"].membership_in(org))


def test_update_organization_records_changes(people):
    org = people["org"]
    ops.update_organization(
        people["org_admin"], org, name="Migrant Rights Network International", country="KE"
    )
    db.session.commit()
    [event] = db.session.scalars(select(AuditEvent)).all()
    assert event == assert_audited(
        "organization.updated", actor=people["org_admin"], subject=org, organization=org
    )
    assert event.details["changes"]["name"][1] == "Migrant Rights Network International"
    with pytest.raises(OperationError):
        ops.update_organization(people["member"], org, name="Hijacked", country="KE")
