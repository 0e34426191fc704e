"""The sign-on journey in a real browser: the lead opens the statement for signatures, a
signatory signs, an organization without an account signs on through the public form and its
e-mailed link, and the coordinator approves both from the queue."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Organization,
    OutboxMessage,
    Signature,
    SignatureState,
    StatementState,
)


def test_open_sign_public_confirm_and_approve(page, sign_in, cast, statement_in):
    statement = statement_in(StatementState.DRAFT)

    sign_in(cast["drafter"])
    page.goto(f"/statements/{statement.id}")
    page.get_by_role("link", name="Open for signatures").click()
    page.get_by_role("button", name="Open for signatures").click()
    expect(page.get_by_text("The statement is open for signatures.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(cast["signatory"])
    page.goto(f"/statements/{statement.id}")
    page.get_by_role("link", name="Sign this statement").click()
    expect(page.get_by_text("Our asks")).to_be_visible()
    page.get_by_label("Sign on behalf of").select_option(str(cast["signer_org"].id))
    page.get_by_label("I have read this revision").check()
    page.get_by_role("button", name=re.compile("Sign revision")).click()
    expect(page.get_by_text("Signed on behalf of Réseau Migrants & Droits.")).to_be_visible()
    expect(page.locator(".signature-counts")).to_contain_text("1 pending")
    page.get_by_role("button", name="Sign out").click()

    db.session.expire_all()
    page.goto(f"/s/{db.session.get(type(statement), statement.id).public_token}")
    page.get_by_label("Organization name").fill("Voces Migrantes")
    page.get_by_label("Country").select_option("GT")
    page.get_by_label("Kind of organization").select_option("migrant_led")
    page.get_by_label("Contact person").fill("Ana López")
    page.get_by_label("Contact e-mail").fill("ana@voces.example.org")
    page.get_by_role("button", name="Sign on").click()
    expect(page.locator(".error").first).to_contain_text("tick the box")
    page.get_by_label("may be published").check()
    page.get_by_role("button", name="Sign on").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    body = db.session.scalar(
        select(OutboxMessage.body).where(
            OutboxMessage.kind == "signon_confirm",
            OutboxMessage.recipient == "ana@voces.example.org",
        )
    )
    link = re.search(r"https?://\S+/confirm/\S+", body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm the sign-on").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    page.goto(link)
    expect(page.get_by_text("already used")).to_be_visible()

    sign_in(cast["coordinator"])
    page.goto(f"/rounds/{cast['round'].slug}/signons")
    page.get_by_label("Select Voces Migrantes").check()
    page.get_by_label("Select Réseau Migrants & Droits").check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_text("2 sign-ons approved.")).to_be_visible()

    page.goto(f"/statements/{statement.id}")
    expect(page.locator(".signatory-list")).to_contain_text("Voces Migrantes")
    expect(page.locator(".signatory-list")).to_contain_text("Guatemala")
    db.session.expire_all()
    states = db.session.scalars(select(Signature.state)).all()
    assert states == [SignatureState.APPROVED, SignatureState.APPROVED]


def _public_signon(page, statement, name, place, email):
    page.goto(f"/s/{statement.public_token}")
    page.get_by_label("Organization name").fill(name)
    page.get_by_label("Country or region").select_option(place)
    page.get_by_label("Kind of organization").select_option("network")
    page.get_by_label("Contact person").fill("Jo Contact")
    page.get_by_label("Contact e-mail").fill(email)
    page.get_by_label("may be published").check()
    page.get_by_role("button", name="Sign on").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    body = db.session.scalar(
        select(OutboxMessage.body).where(
            OutboxMessage.kind == "signon_confirm", OutboxMessage.recipient == email
        )
    )
    page.goto(re.search(r"https?://\S+/confirm/\S+", body).group(0))
    page.get_by_role("button", name="Confirm the sign-on").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


def test_public_signon_by_a_registered_name_and_by_a_network(page, sign_in, cast, statement_in):
    """A registered, verified organization signing through the public form is not created a
    second time: the sign-on joins it and its signatories are asked; an international network
    signs without a country and is listed as such."""
    statement = statement_in()
    organizations = db.session.scalar(select(func.count(Organization.id)))

    _public_signon(page, statement, "other UNION", "PH", "jo@other.example.org")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Organization.id))) == organizations
    signature = db.session.scalars(select(Signature)).one()
    assert signature.organization_id == cast["other_org"].id
    asked = db.session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.kind == "signon_on_behalf")
    ).all()
    assert asked == [cast["other_signatory"].email]

    _public_signon(page, statement, "Global Alliance of Networks", "international", "jo@gan.org")
    sign_in(cast["coordinator"])
    page.goto("/organizations/verification")
    row = page.locator("tr", has_text="Global Alliance of Networks")
    expect(row).to_contain_text("International")
    expect(row).to_contain_text("Public sign-on by Jo Contact")
    expect(page.locator("tr", has_text="Other Union")).to_have_count(0)
    page.goto(f"/rounds/{cast['round'].slug}/signons")
    page.get_by_label("Select Global Alliance of Networks").check()
    page.get_by_label("Select Other Union").check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_text("2 sign-ons approved.")).to_be_visible()
    page.goto(f"/statements/{statement.id}")
    expect(page.locator(".signatory-list")).to_contain_text("Global Alliance of Networks")
    expect(page.locator(".signatory-list")).to_contain_text("(International)")
