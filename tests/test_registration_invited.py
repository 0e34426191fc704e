"""Registration from an invitation link, and the registration form's one organization section."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Membership, MembershipState, Organization, User
from portal.organizations import operations as org_ops
from tests.helpers.clients import location_path
from tests.helpers.forms import registration

INVITED = "new.member@example.net"


def _invite(people) -> str:
    _, token = org_ops.invite_member(people["org_admin"], people["org"], INVITED, "signatory")
    db.session.commit()
    return token


def test_invitation_page_offers_registration_with_the_invitation(client, people):
    token = _invite(people)
    page = client.get(f"/organizations/invitations/{token}").get_data(as_text=True)
    assert f"/register?invitation={token}" in page


def test_invited_registration_form_keeps_the_address_and_skips_the_organization(client, people):
    token = _invite(people)
    page = client.get(f"/register?invitation={token}").get_data(as_text=True)
    assert f'value="{INVITED}"' in page and "readonly" in page
    assert 'name="mode"' not in page and 'name="org_name"' not in page
    assert people["org"].name in page
    assert f'action="/register?invitation={token}"' in page


def test_invited_registration_registers_the_invited_address_and_returns(client, people):
    token = _invite(people)
    orgs_before = db.session.scalar(select(func.count(Organization.id)))
    # Whatever address is posted, the invitation's is registered.
    response = client.post(
        f"/register?invitation={token}",
        data=registration(email="someone.else@example.net", mode="", org_name=""),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert location_path(response) == f"/organizations/invitations/{token}"
    user = db.session.scalar(select(User).filter_by(email=INVITED))
    assert user is not None
    # The invitation's token came back from that mailbox: no second confirmation is asked for.
    assert user.email_confirmed_at is not None
    assert not [m for m in _outbox() if m.recipient == INVITED and "confirm" in m.kind]
    assert db.session.scalar(select(User).filter_by(email="someone.else@example.net")) is None
    assert db.session.scalar(select(func.count(Organization.id))) == orgs_before
    assert db.session.scalar(select(Membership).filter_by(user_id=user.id)) is None

    page = client.get(location_path(response)).get_data(as_text=True)
    assert "Accept the invitation" in page
    response = client.post(f"/organizations/invitations/{token}")
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    assert membership.state == MembershipState.ACTIVE and membership.role == "signatory"


def test_invited_registration_shows_errors_and_keeps_the_invitation(client, people, make_user):
    make_user(email=INVITED)
    token = _invite(people)
    response = client.post(f"/register?invitation={token}", data=registration())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "already registered" in page and 'id="email-error"' in page
    assert f'action="/register?invitation={token}"' in page


def test_unknown_invitation_gives_the_ordinary_form(client):
    page = client.get("/register?invitation=nonsense").get_data(as_text=True)
    assert 'name="mode"' in page and 'name="org_name"' in page


def test_only_the_chosen_organization_section_is_validated(client, people):
    # A new organization with a leftover join choice; then a join with a bad leftover website.
    response = client.post("/register", data=registration(organization="999999"))
    assert response.status_code == 302
    client.post("/logout")
    response = client.post(
        "/register",
        data=registration(
            email="second@example.net",
            mode="join",
            organization=str(people["org"].id),
            org_website="not a url",
            org_country="",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_registration_sections_are_marked_for_one_at_a_time(client):
    page = client.get("/register").get_data(as_text=True)
    assert 'class="org-section org-new"' in page and 'class="org-section org-join"' in page
    assert 'class="stacked registration"' in page


def _outbox():
    from portal.models import OutboxMessage

    return db.session.scalars(select(OutboxMessage)).all()
