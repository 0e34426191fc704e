"""Organization pages through the client, CSRF on: directory, profile, members, verification."""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Invitation,
    MemberRole,
    MembershipState,
    Organization,
    OutboxMessage,
    VerificationStatus,
)
from portal.organizations import operations as ops
from tests.helpers.audit import assert_audited
from tests.query_count import QueryCounter

# Who gets an organization's admin pages: its admins; everyone else is refused or sent to sign in.
ONLY_THE_ORGANIZATIONS_ADMINS = [
    ("anonymous", 302),
    ("outsider", 403),
    ("member", 403),
    ("signatory", 403),
    ("org_admin", 200),
]


def text(response):
    return response.get_data(as_text=True)


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


# -- directory and profile ----------------------------------------------------------------------


def test_directory_lists_verified_organizations_with_search_and_filters(client, make_org):
    make_org(name="Andean Migrant Rights Clinic", country="CO", kind="ngo")
    make_org(name="Migrant Workers Union", country="PH", kind="trade_union", acronym="MWU")
    make_org(name="Hidden Pending Group", status=VerificationStatus.PENDING)
    page = text(client.get("/organizations/"))
    assert "Andean Migrant Rights Clinic" in page and "Migrant Workers Union" in page
    assert "Hidden Pending Group" not in page
    assert "Colombia" in page and "Trade union" in page
    assert "Andean" not in text(client.get("/organizations/?q=mwu"))
    assert "Migrant Workers Union" in text(client.get("/organizations/?q=mwu"))
    by_country = text(client.get("/organizations/?country=CO"))
    assert "Andean" in by_country and "Migrant Workers Union" not in by_country
    by_kind = text(client.get("/organizations/?kind=trade_union"))
    assert "Andean" not in by_kind and "Migrant Workers Union" in by_kind


def test_directory_is_paginated_and_queries_do_not_grow_with_rows(client, make_org, make_user):
    for n in range(3):
        org = make_org(name=f"Org {n:02d}")
        make_user(org=org)
    client.get("/organizations/")
    with QueryCounter() as few:
        client.get("/organizations/")
    for n in range(3, 30):
        org = make_org(name=f"Org {n:02d}")
        make_user(org=org)
    with QueryCounter() as many:
        first = text(client.get("/organizations/"))
    assert many.count == few.count
    assert "Org 00" in first and "Org 29" not in first and "Page 1 of 2" in first
    assert "Org 29" in text(client.get("/organizations/?page=2"))


def test_profile_shows_country_name_kind_website_and_member_count(client, people):
    page = text(client.get("/organizations/mrn"))
    assert "Migrant Rights Network" in page and "Kenya" in page and "NGO" in page
    assert re.search(r"<dt>Members</dt><dd>3</dd>", page)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("outsider", 404),
        ("member", 200),
        ("org_admin", 200),
        ("coordinator", 200),
    ],
)
def test_pending_profile_is_hidden_from_outsiders(client_as, people, role, status):
    people["org"].status = VerificationStatus.PENDING
    db.session.commit()
    assert client_as(role).get("/organizations/mrn").status_code == status


# -- editing --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), ONLY_THE_ORGANIZATIONS_ADMINS)
def test_edit_access(client_as, people, role, status):
    assert client_as(role).get("/organizations/mrn/edit").status_code == status


def _profile(**overrides):
    return {
        "name": "Migrant Rights Network",
        "acronym": "MRN",
        "country": "KE",
        "kind": "ngo",
        "website": "https://mrn.example.org",
        "description": "",
    } | overrides


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "M"}, "3 to 200 characters"),
        ({"website": "ftp://mrn.example.org"}, "http:// or https://"),
        ({"country": "XX"}, "Not a valid choice"),
    ],
)
def test_edit_with_bad_input_shows_the_error_and_changes_nothing(
    client_as, people, overrides, message
):
    response = client_as("org_admin").post("/organizations/mrn/edit", data=_profile(**overrides))
    assert response.status_code == 200
    assert re.search(r'class="error"[^>]*>[^<]*' + re.escape(message), text(response))
    db.session.expire_all()
    assert people["org"].acronym is None
    assert not db.session.scalar(select(AuditEvent).filter_by(action="organization.updated"))


def test_edit_saves_and_records(client_as, people):
    response = client_as("org_admin").post("/organizations/mrn/edit", data=_profile())
    assert response.status_code == 302
    db.session.expire_all()
    assert people["org"].acronym == "MRN"
    assert db.session.scalar(select(AuditEvent).filter_by(action="organization.updated"))


def test_edit_without_csrf_is_refused(client_as, people):
    response = client_as("org_admin").post("/organizations/mrn/edit", data=_profile(), csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert people["org"].acronym is None


# -- members --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), ONLY_THE_ORGANIZATIONS_ADMINS)
def test_members_page_access(client_as, people, role, status):
    assert client_as(role).get("/organizations/mrn/members").status_code == status


def test_invite_by_email_sends_a_link(client_as, people):
    admin = client_as("org_admin")
    response = admin.post(
        "/organizations/mrn/members/invite", data={"email": "new@example.net", "role": "signatory"}
    )
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "new@example.net" and invitation.role == "signatory"
    message = db.session.scalar(select(OutboxMessage).filter_by(kind="invitation"))
    assert "/organizations/invitations/" in message.body
    assert "new@example.net" in text(admin.get("/organizations/mrn/members"))


def test_invite_with_bad_email_shows_error(client_as, people):
    response = client_as("org_admin").post(
        "/organizations/mrn/members/invite", data={"email": "not-an-address", "role": "member"}
    )
    assert response.status_code == 400
    assert "valid e-mail" in text(response)
    assert count(Invitation) == 0


def test_invite_forbidden_to_members(client_as, people):
    response = client_as("member").post(
        "/organizations/mrn/members/invite", data={"email": "x@example.net", "role": "member"}
    )
    assert response.status_code == 403
    assert count(Invitation) == 0


def test_accept_invitation_page(app, client_as, people, make_user):
    with app.test_request_context():
        _, token = ops.invite_member(people["org_admin"], people["org"], "invitee@example.net")
    db.session.commit()
    url = f"/organizations/invitations/{token}"
    anonymous = client_as("anonymous")
    page = text(anonymous.get(url))
    assert "Sign in" in page and "invitee@example.net" in page
    assert anonymous.post(url).status_code == 403

    wrong = client_as("outsider")
    wrong.post(url)
    assert people["org"].role_of(people["outsider"]) is None

    invitee = make_user(email="invitee@example.net")
    from tests.helpers.clients import PASSWORD

    signed_in = client_as("anonymous")
    signed_in.post("/login", data={"email": invitee.email, "password": PASSWORD})
    assert "Accept the invitation" in text(signed_in.get(url))
    assert signed_in.post(url).status_code == 302
    db.session.expire_all()
    assert people["org"].role_of(invitee) == MemberRole.MEMBER
    assert signed_in.get(url).status_code == 404
    assert client_as("anonymous").get("/organizations/invitations/bogus").status_code == 404


def test_join_request_and_approval(client_as, people):
    outsider = client_as("outsider")
    assert "Ask to join" in text(outsider.get("/organizations/mrn"))
    assert outsider.post("/organizations/mrn/join").status_code == 302
    membership = people["outsider"].memberships[0]
    assert membership.state == MembershipState.REQUESTED
    assert "Ask to join" not in text(outsider.get("/organizations/mrn"))
    admin = client_as("org_admin")
    assert people["outsider"].email in text(admin.get("/organizations/mrn/members"))
    assert (
        client_as("member").post(f"/organizations/mrn/members/{membership.id}/approve").status_code
        == 403
    )
    admin.post(f"/organizations/mrn/members/{membership.id}/approve")
    db.session.expire_all()
    assert membership.state == MembershipState.ACTIVE
    org = people["org"]
    assert_audited(
        "membership.requested", actor=people["outsider"], subject=membership, organization=org
    )
    assert_audited(
        "membership.approved", actor=people["org_admin"], subject=membership, organization=org
    )


def test_role_changes_and_last_admin_refusal(client_as, people):
    admin = client_as("org_admin")
    member = people["member"].membership_in(people["org"])
    admin.post(f"/organizations/mrn/members/{member.id}/role", data={"role": "signatory"})
    db.session.expire_all()
    assert member.role == MemberRole.SIGNATORY
    assert_audited(
        "membership.role_changed",
        actor=people["org_admin"],
        subject=member,
        organization=people["org"],
    )
    own = people["org_admin"].membership_in(people["org"])
    response = admin.post(
        f"/organizations/mrn/members/{own.id}/role", data={"role": "member"}, follow_redirects=True
    )
    assert "last admin" in text(response)
    db.session.expire_all()
    assert own.role == MemberRole.ADMIN
    response = admin.post(f"/organizations/mrn/members/{own.id}/remove", follow_redirects=True)
    assert "last admin" in text(response)
    admin.post(f"/organizations/mrn/members/{member.id}/remove")
    db.session.expire_all()
    assert people["org"].role_of(people["member"]) is None


def test_member_of_another_org_is_404(client_as, people, make_org, make_user):
    other = make_org(name="Other Org", slug="other")
    stranger = make_user(org=other)
    membership = stranger.memberships[0]
    response = client_as("org_admin").post(f"/organizations/mrn/members/{membership.id}/remove")
    assert response.status_code == 404


# -- verification -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("org_admin", 403), ("outsider", 403), ("coordinator", 200)],
)
def test_verification_queue_access(client_as, people, role, status):
    assert client_as(role).get("/organizations/verification").status_code == status


def test_coordinator_verifies_from_the_queue(client_as, people, make_org):
    make_org(name="Waiting Org", slug="waiting", status=VerificationStatus.PENDING)
    coordinator = client_as("coordinator")
    assert "Waiting Org" in text(coordinator.get("/organizations/verification"))
    assert client_as("org_admin").post("/organizations/waiting/verify").status_code == 404
    response = coordinator.post("/organizations/waiting/verify", follow_redirects=True)
    assert "Waiting Org is now verified" in text(response)
    org = db.session.scalar(select(Organization).filter_by(slug="waiting"))
    db.session.refresh(org)
    assert org.status == VerificationStatus.VERIFIED
    assert_audited(
        "organization.verified", actor=people["coordinator"], subject=org, organization=org
    )


def test_reject_needs_a_reason(client_as, people, make_org):
    org = make_org(name="Dubious Org", slug="dubious", status=VerificationStatus.PENDING)
    coordinator = client_as("coordinator")
    response = coordinator.post("/organizations/dubious/reject", data={"reason": ""})
    assert response.status_code == 400
    assert "Give the organization a reason" in text(response)
    db.session.refresh(org)
    assert org.status == VerificationStatus.PENDING
    coordinator.post("/organizations/dubious/reject", data={"reason": "No trace of it anywhere."})
    db.session.refresh(org)
    assert org.status == VerificationStatus.REJECTED
    assert org.status_reason == "No trace of it anywhere."
    assert_audited(
        "organization.rejected",
        actor=people["coordinator"],
        subject=org,
        organization=org,
        reason="No trace of it anywhere.",
    )
