"""User management: admins only, POST forms, audited."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, SiteRole, User
from tests.helpers.audit import assert_audited
from tests.helpers.clients import PASSWORD

ROLES = ["anonymous", "member", "signatory", "org_admin", "outsider", "coordinator", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_users_page_access(client_as, role):
    response = client_as(role).get("/admin/users")
    expected = {"anonymous": 302, "admin": 200}.get(role, 403)
    assert response.status_code == expected
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["role", "deactivate", "reactivate"])
def test_user_actions_access(client_as, people, role, action):
    target = people["member"]
    client = client_as(role)
    response = client.post(f"/admin/users/{target.id}/{action}", data={"site_role": "admin"})
    expected = {"anonymous": 302, "admin": 302}.get(role, 403)
    assert response.status_code == expected
    db.session.refresh(target)
    if role != "admin":
        assert target.site_role == SiteRole.USER and target.active


def test_users_list_and_search(client_as, people):
    client = client_as("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    for person in ("member", "coordinator", "outsider"):
        assert people[person].email in page
    page = client.get(f"/admin/users?q={people['outsider'].email.upper()}").get_data(as_text=True)
    assert people["outsider"].email in page and people["member"].email not in page
    page = client.get("/admin/users?q=%25").get_data(as_text=True)  # no wildcard injection
    assert "No user matches" in page


def test_admin_changes_role(client_as, people):
    client = client_as("admin")
    member = people["member"]
    response = client.post(f"/admin/users/{member.id}/role", data={"site_role": "coordinator"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.site_role == SiteRole.COORDINATOR
    assert_audited(
        "user.role_changed", actor=people["admin"], subject=member, old="user", new="coordinator"
    )


def test_invalid_role_is_refused(client_as, people):
    client = client_as("admin")
    member = people["member"]
    response = client.post(
        f"/admin/users/{member.id}/role", data={"site_role": "root"}, follow_redirects=True
    )
    assert "Choose user, coordinator or admin." in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.site_role == SiteRole.USER


def test_admin_cannot_demote_or_deactivate_themselves(client_as, people):
    client = client_as("admin")
    admin = people["admin"]
    response = client.post(
        f"/admin/users/{admin.id}/role", data={"site_role": "user"}, follow_redirects=True
    )
    assert "cannot change your own role" in response.get_data(as_text=True)
    client.post(f"/admin/users/{admin.id}/deactivate")
    db.session.refresh(admin)
    assert admin.site_role == SiteRole.ADMIN and admin.active


def test_deactivate_and_reactivate(client_as, people, app):
    member = people["member"]
    member_client = client_as("member")
    admin_client = client_as("admin")

    assert admin_client.post(f"/admin/users/{member.id}/deactivate").status_code == 302
    db.session.refresh(member)
    assert not member.active
    assert member_client.get("/profile").status_code == 302  # their session is over
    fresh = app.test_client()
    response = fresh.post("/login", data={"email": member.email, "password": PASSWORD})
    assert response.status_code == 200  # generic failure page

    admin_client.post(f"/admin/users/{member.id}/reactivate")
    db.session.refresh(member)
    assert member.active
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("user.%activated"))
    ).all()
    assert actions == ["user.deactivated", "user.reactivated"]
    for action in actions:
        assert_audited(action, actor=people["admin"], subject=member)


def test_missing_user_is_404(client_as):
    assert client_as("admin").post("/admin/users/99999/deactivate").status_code == 404


def test_role_change_without_csrf_is_rejected(client_as, people):
    member = people["member"]
    response = client_as("admin").post(
        f"/admin/users/{member.id}/role", data={"site_role": "admin"}, csrf=False
    )
    assert response.status_code == 400
    assert db.session.get(User, member.id).site_role == SiteRole.USER


def test_users_list_marks_unconfirmed_addresses(client_as, make_user):
    make_user(email="waiting@example.org", confirmed=False)
    page = client_as("admin").get("/admin/users?q=waiting").get_data(as_text=True)
    assert "e-mail not confirmed" in page
