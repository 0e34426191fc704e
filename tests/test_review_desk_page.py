"""The coordinator's review page: the official PDF previewed, pending sign-ons approved from
there; the lead's submit button says what submitting does to sign-on."""

import io

import pdfplumber
import pytest
from sqlalchemy import select

from portal.exports.preview import preview_document
from portal.extensions import db
from portal.models import AuditEvent, Signature, SignatureState, StatementState
from portal.statements import operations
from tests.helpers.audit import assert_audited

S = StatementState


def _text(pdf_bytes: bytes) -> tuple[str, str]:
    """(the text, the watermark's letters in the order they were set)."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        mark = "".join(c["text"] for c in pdf.pages[0].chars if c["size"] > 40 and c["text"] != " ")
    return text, mark


def _substantive_edit(statement, crew):
    operations.save_revision(
        crew["drafter"],
        statement,
        title=statement.title,
        body=statement.current_revision.body + "\nA new paragraph.\n",
        base_revision_id=statement.current_revision_id,
        substantive=True,
    )
    db.session.commit()


def test_preview_is_the_submitted_text_with_the_organizations_it_would_list(
    crew, make_statement, sign, client_for
):
    statement = make_statement(S.SIGNING)
    early = sign(statement, "Early Signer Network")
    _substantive_edit(statement, crew)
    sign(statement, "Current Signer Alliance")
    sign(statement, "Pending Partner", state=SignatureState.PENDING)
    from portal.statements import workflow

    workflow.apply(statement, "submit", crew["drafter"])
    db.session.commit()
    client = client_for(crew["coordinator"])

    page = client.get(f"/review/statements/{statement.id}").get_data(as_text=True)
    assert f'href="/review/statements/{statement.id}/preview.pdf"' in page
    response = client.get(f"/review/statements/{statement.id}/preview.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "preview" in response.headers["Content-Disposition"]
    text, watermark = _text(response.data)
    assert watermark == "PREVIEW—notyetapproved" and statement.title in text
    assert "Current Signer Alliance" in text
    assert "Early Signer Network" not in text and "Pending Partner" not in text
    assert "earlier text" not in text  # who is left out is on the review page, not in the PDF
    db.session.refresh(early)
    assert statement.state == S.SUBMITTED  # previewing changes nothing


def test_preview_is_for_coordinators(crew, make_statement, client_for):
    statement = make_statement(S.SUBMITTED)
    response = client_for(crew["drafter"]).get(f"/review/statements/{statement.id}/preview.pdf")
    assert response.status_code == 403


def test_pending_signatures_are_approved_from_the_review_page(
    crew, make_statement, sign, client_for
):
    statement = make_statement(S.SUBMITTED)
    one = sign(statement, "Pending One", state=SignatureState.PENDING)
    sign(statement, "Pending Two", state=SignatureState.PENDING)
    sign(statement, "Pending Three", state=SignatureState.PENDING)
    client = client_for(crew["coordinator"])
    here = f"/review/statements/{statement.id}"
    page = client.get(here).get_data(as_text=True)
    assert "Pending (3)" in page and "Approve all 3 pending" in page
    assert f'name="next" value="{here}"' in page

    slug = statement.round.slug
    response = client.post(f"/rounds/{slug}/signons/{one.id}/approve", data={"next": here})
    assert response.status_code == 302 and response.headers["Location"].endswith(here)
    db.session.refresh(one)
    assert one.state == SignatureState.APPROVED
    assert_audited(
        "signature.approve", actor=crew["coordinator"], subject=one, organization=one.organization
    )
    page = client.get(here).get_data(as_text=True)
    assert "Pending (2)" in page and "Approved: Pending One." in page

    ids = [
        s.id
        for s in db.session.scalars(
            select(Signature).where(Signature.state == SignatureState.PENDING)
        )
    ]
    response = client.post(f"/rounds/{slug}/signons/approve", data={"signature": ids, "next": here})
    assert response.headers["Location"].endswith(here)
    pending = db.session.scalars(
        select(Signature).where(Signature.state == SignatureState.PENDING)
    ).all()
    assert pending == []
    approvals = db.session.scalars(select(AuditEvent).filter_by(action="signature.approve")).all()
    assert [e.actor_id for e in approvals] == [crew["coordinator"].id] * 3


def test_review_page_of_approved_statement_links_the_official_pdf(crew, make_statement, client_for):
    statement = make_statement(S.APPROVED)
    page = client_for(crew["coordinator"]).get(f"/review/statements/{statement.id}")
    page = page.get_data(as_text=True)
    assert "preview.pdf" not in page and f'href="/published/{statement.id}.pdf"' in page


def test_submit_button_warns_about_pending_and_earlier_text(crew, make_statement, sign, client_for):
    statement = make_statement(S.SIGNING)
    sign(statement, "Early Signer Network")
    _substantive_edit(statement, crew)
    sign(statement, "Pending One", state=SignatureState.PENDING)
    sign(statement, "Pending Two", state=SignatureState.PENDING)
    page = client_for(crew["drafter"]).get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "Submitting closes sign-on" in page
    assert "2 organizations are still pending" in page
    assert "1 organization signed an earlier text" in page
    # The confirmation dialog says the same.
    assert 'data-confirm="Submitting closes sign-on' in page and "2 organizations are" in page


def test_submit_button_without_waiting_organizations_still_says_sign_on_closes(
    crew, make_statement, client_for
):
    statement = make_statement(S.SIGNING)
    page = client_for(crew["drafter"]).get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "Submitting closes sign-on" in page and "still pending" not in page


@pytest.mark.parametrize(
    ("language", "mark"),
    [("es", "VISTAPREVIA—aúnnoaprobada"), ("en", "PREVIEW—notyetapproved")],
)
def test_preview_label_is_in_the_statements_language_not_the_readers(
    crew, make_statement, client_for, language, mark
):
    statement = make_statement(S.SUBMITTED)
    statement.language = language
    crew["coordinator"].locale = "fr"  # the reader's pages are in French
    db.session.commit()
    client = client_for(crew["coordinator"])
    assert 'lang="fr"' in client.get(f"/review/statements/{statement.id}").get_data(as_text=True)
    response = client.get(f"/review/statements/{statement.id}/preview.pdf")
    assert response.status_code == 200
    _text_, watermark = _text(response.data)
    assert watermark == mark
    # The label is text in the statement's language before any layout (not a lazy string that
    # the reader's or the shell's language would turn into words).
    expected = {"es": "VISTA PREVIA — aún no aprobada", "en": "PREVIEW — not yet approved"}
    assert preview_document(statement).draft_label == expected[language]
