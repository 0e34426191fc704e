"""The profile page: organizations, join requests, name, timezone, password."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Membership, MembershipState, OutboxMessage
from tests.helpers.clients import PASSWORD

NEW = "a new long passphrase"


def test_profile_needs_sign_in(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login?next=%2Fprofile" in response.headers["Location"]


def test_profile_lists_organizations_roles_and_requests(client, login, people, make_org):
    other = make_org(name="Faith Action for Migrants")
    db.session.add(
        Membership(user=people["signatory"], organization=other, state=MembershipState.REQUESTED)
    )
    db.session.commit()
    login(people["signatory"])
    page = client.get("/profile").get_data(as_text=True)
    assert people["org"].name in page and "Signatory" in page
    assert "Your requests to join" in page and "Faith Action for Migrants" in page
    assert people["signatory"].email in page


def test_update_name_and_timezone(client, login, make_user):
    user = make_user(name="Old Name")
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    assert '<option value="Africa/Dakar">Africa/Dakar</option>' in page
    response = client.post("/profile", data={"name": "Amina Diallo", "timezone": "Africa/Dakar"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.timezone) == ("Amina Diallo", "Africa/Dakar")
    assert "Your profile is saved." in client.get("/profile").get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).filter_by(action="user.profile_updated"))


def test_bad_timezone_is_refused_next_to_the_field(client, login, make_user):
    user = make_user(name="Old Name")
    login(user)
    response = client.post("/profile", data={"name": "New Name", "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert 'id="timezone-error"' in response.get_data(as_text=True)
    db.session.refresh(user)
    assert (user.name, user.timezone) == ("Old Name", None)


def test_empty_name_is_refused(client, login, make_user):
    user = make_user(name="Old Name")
    login(user)
    response = client.post("/profile", data={"name": "", "timezone": ""})
    assert response.status_code == 400
    assert 'id="name-error"' in response.get_data(as_text=True)


def test_profile_post_without_csrf_is_rejected(client, login, make_user):
    user = make_user(name="Old Name")
    login(user)
    response = client.post("/profile", data={"name": "X Y", "timezone": ""}, csrf=False)
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.name == "Old Name"


def test_deadlines_in_the_viewers_timezone(client, login, make_user, make_round):
    make_round("open", title="Second round")
    user = make_user()
    login(user)
    assert "your time" not in client.get("/").get_data(as_text=True)  # the browser adds it
    client.post("/profile", data={"name": user.name, "timezone": "Asia/Manila"})
    page = client.get("/").get_data(as_text=True)
    assert "your time:" in page and ("PST" in page or "+08" in page)


def test_change_password(client, login, make_user):
    user = make_user()
    login(user)
    response = client.post(
        "/profile/password",
        data={"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password(NEW)
    assert db.session.scalar(select(AuditEvent).filter_by(action="user.password_changed"))
    assert db.session.scalar(select(OutboxMessage).filter_by(kind="password_changed"))
    assert client.get("/profile").status_code == 200  # still signed in


def test_change_password_needs_the_current_one(client, login, make_user):
    user = make_user()
    login(user)
    response = client.post(
        "/profile/password",
        data={"current_password": "not it at all", "new_password": NEW, "new_password_again": NEW},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="current_password-error"' in page and "not your current password" in page
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_change_password_checks_the_new_one(client, login, make_user):
    user = make_user()
    login(user)
    response = client.post(
        "/profile/password",
        data={"current_password": PASSWORD, "new_password": NEW, "new_password_again": "other"},
    )
    assert response.status_code == 400
    assert "The passwords do not match." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)
