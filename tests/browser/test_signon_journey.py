"""The sign-on journey in a real browser: the lead opens the statement for signatures, a
signatory signs, an organization without an account signs on through the public form and its
e-mailed link, and the coordinator approves both from the queue."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, Signature, SignatureState, StatementState
from tests import test_signons_support as support

cast, statement_in = support.cast, support.statement_in


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
