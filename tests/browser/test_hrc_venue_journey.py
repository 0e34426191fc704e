"""The HRC written statement journey in a real browser (issue 14): the coordinator picks the
venue profile for the round; the editor counts the words live against the 2,000-word limit;
submission is refused with what to fix, and accepted once fixed; an organization without ECOSOC
status signs and the lead sees it will go in the footnote to the title; the approved statement's
Word file is read back with python-docx (font, the footnote to the title)."""

import io
import re

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Pt
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import StatementState, utcnow
from portal.models.accreditation import EcosocStatus

OVER = " ".join(["rights"] * 2050)
FIXED = "Migrants’ rights are human rights, and the Council should say so."


def test_hrc_round_refuses_what_the_council_would_and_delivers_its_word_file(
    page, sign_in, cast, statement_in, live_server
):
    cast["lead"].ecosoc_status = EcosocStatus.GENERAL
    cast["lead"].ecosoc_verified_at = utcnow()
    db.session.commit()
    statement = statement_in(StatementState.SIGNING)
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit this text?"

    sign_in(cast["coordinator"])
    page.goto(f"/rounds/{cast['round'].slug}/requirements")
    page.get_by_label("Start from").select_option(label="Human Rights Council written statement")
    page.get_by_role("button", name="Load the profile").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The round's submission requirements are saved.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(cast["drafter"])
    page.goto(f"/statements/{statement.id}/edit")
    page.get_by_label("Text", exact=True).fill(OVER)
    words = page.locator(".venue-words")
    expect(words).to_contain_text("2,050 of 2,000 words, as the venue counts them")
    expect(words).to_have_class(re.compile(r"\bover\b"))
    expect(page.locator('[data-problem="word_limit"]')).to_contain_text("50 over the limit")
    page.get_by_role("button", name=re.compile("^Save")).first.click()
    page.goto(f"/statements/{statement.id}")
    page.get_by_role("button", name="Submit to the round").click()
    expect(page.get_by_text("does not meet the venue's requirements")).to_be_visible()
    expect(page.get_by_text(re.compile("Fix: The text has 2,050 words"))).to_be_visible()

    page.goto(f"/statements/{statement.id}/edit")
    page.get_by_label("Text", exact=True).fill(FIXED)
    expect(page.locator(".venue-words")).to_contain_text("11 of 2,000 words")
    expect(page.locator(".venue-words")).not_to_have_class(re.compile(r"\bover\b"))
    page.get_by_role("button", name=re.compile("^Save")).first.click()
    page.get_by_role("button", name="Sign out").click()

    # An organization without consultative status signs: the venue will name it in the note.
    sign_in(cast["signatory"])
    page.goto(f"/statements/{statement.id}")
    page.get_by_role("link", name="Sign this statement").click()
    expect(page.get_by_text(re.compile("footnote to the title")).first).to_be_visible()
    page.get_by_label("Sign on behalf of").select_option(str(cast["signer_org"].id))
    page.get_by_label("I have read this revision").check()
    page.get_by_role("button", name=re.compile("Sign revision")).click()
    expect(page.get_by_text("Signed on behalf of Réseau Migrants & Droits.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(cast["drafter"])
    page.goto(f"/statements/{statement.id}")
    expect(
        page.get_by_text("Réseau Migrants & Droits will be named in a footnote to the title")
    ).to_be_visible()
    page.get_by_role("button", name="Submit to the round").click()
    expect(page.get_by_text(re.compile(r"Submitted revision \d+ for review."))).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(cast["coordinator"])
    page.goto(f"/rounds/{cast['round'].slug}/signons")
    page.get_by_label("Select Réseau Migrants & Droits").check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_text("1 sign-on approved.")).to_be_visible()
    page.goto(f"/review/statements/{statement.id}")
    page.get_by_label(re.compile("^Approve")).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Approved: Joint statement.")).to_be_visible()
    page.goto(f"/review/statements/{statement.id}")
    link = page.locator(f'a[href$="/statements/{statement.id}/venue.docx"]')
    response = page.request.get(live_server.url + link.first.get_attribute("href"))
    assert response.ok

    document = Document(io.BytesIO(response.body()))
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(12))
    title = document.paragraphs[0]
    assert title.text == "Joint statement" and title.runs[0].font.size == Pt(14)
    assert "w:footnoteReference" in title._p.xml
    notes = document.part.part_related_by(RT.FOOTNOTES).blob.decode("utf-8")
    assert "Réseau Migrants &amp; Droits" in notes
    assert "Réseau Migrants" not in document.paragraphs[-1].text  # not among the listed
