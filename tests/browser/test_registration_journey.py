"""A person registers an organization in the browser; the coordinator verifies it."""

from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Organization, SiteRole, VerificationStatus


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
