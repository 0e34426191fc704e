"""An invited person registers from the invitation link in a real browser: the address is kept,
no organization is asked for, and the invitation comes back to be accepted."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Membership, MembershipState, User
from portal.organizations import operations as org_ops


def test_register_from_the_invitation_and_accept(page, people):
    _, token = org_ops.invite_member(
        people["org_admin"], people["org"], "invited@example.net", "signatory"
    )
    db.session.commit()

    page.goto(f"/organizations/invitations/{token}")
    page.locator("main").get_by_role("link", name="Register").click()
    expect(page.get_by_label("E-mail")).to_have_value("invited@example.net")
    expect(page.get_by_label("Organization name")).to_have_count(0)
    page.get_by_label("Your name").fill("Invited Person")
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Repeat password").fill("a long enough passphrase")
    page.get_by_role("button", name="Register").click()

    expect(page).to_have_url(re.compile(f"/organizations/invitations/{token}$"))
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_text(f"You are now a member of {people['org'].name}.")).to_be_visible()

    db.session.expire_all()
    user = db.session.scalar(select(User).filter_by(email="invited@example.net"))
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    assert membership.state == MembershipState.ACTIVE and membership.role == "signatory"
