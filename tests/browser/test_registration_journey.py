"""A person registers an organization in the browser, confirms their address with the link the
portal e-mailed (read from the outbox table, as `portal outbox show` would print it), and the
coordinator verifies the organization."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Organization, OutboxMessage, SiteRole, User, VerificationStatus


def _confirmation_path(email: str) -> str:
    message = db.session.scalars(
        db.select(OutboxMessage)
        .filter_by(recipient=email, kind="confirm_email")
        .order_by(OutboxMessage.id.desc())
    ).first()
    # The link is built on SITE_URL; the live server listens elsewhere, so keep the path.
    return urlsplit(re.search(r"https?://\S+/confirm/\S+", message.body).group(0)).path


def test_register_organization_then_coordinator_verifies(page, sign_in, make_user, make_org):
    make_org(name="Existing Network", country="MX")
    coordinator = make_user(email="coordinator@example.org", site_role=SiteRole.COORDINATOR)

    page.goto("/register")
    page.get_by_label("Your name").fill("Amina Diallo")
    page.get_by_label("E-mail").fill("amina@diaspora.example")
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Repeat password").fill("a long enough passphrase")
    page.get_by_label("Register a new organization").check()
    page.get_by_label("Organization name").fill("Diaspora Voices Senegal")
    page.get_by_label("Country").select_option("SN")
    page.get_by_label("Kind").select_option("migrant_led")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("pending verification").first).to_be_visible()
    expect(page.get_by_text("Confirm your e-mail address").first).to_be_visible()

    page.goto(_confirmation_path("amina@diaspora.example"))
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_text("Your e-mail address is confirmed").first).to_be_visible()
    expect(page.get_by_text("Send a new confirmation link")).to_have_count(0)
    db.session.expire_all()
    user = db.session.scalar(db.select(User).filter_by(email="amina@diaspora.example"))
    assert user.email_confirmed

    org = db.session.scalar(db.select(Organization).filter_by(name="Diaspora Voices Senegal"))
    assert org is not None and org.status == VerificationStatus.PENDING

    page.get_by_role("button", name="Sign out").click()
    sign_in(coordinator)
    page.goto("/organizations/verification")
    row = page.get_by_role("row").filter(has_text="Diaspora Voices Senegal")
    row.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("verified").first).to_be_visible()

    db.session.expire_all()
    assert db.session.get(Organization, org.id).status == VerificationStatus.VERIFIED
