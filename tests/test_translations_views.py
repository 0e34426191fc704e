"""Translation pages over HTTP, CSRF on: the editor and its errors, conflicts, the import form,
who gets a 404 or a 403, the out-of-date flag on the pages, and the public page's languages."""

import io
import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, StatementState, StatementTranslation, TranslationRevision
from portal.statements import operations
from portal.statements import translation_operations as translations
from tests.helpers.clients import signed_in

FRENCH = """## Notre vision

La société civile est reliée par des réseaux[^1] et des régions.

[^1]: Voir <https://example.org/declaration>.
"""


def _count(model):
    return db.session.scalar(select(func.count(model.id)))


def _new_form(statement, **changes):
    return {
        "language": "fr",
        "title": "Une déclaration commune",
        "body": FRENCH,
        "note": "",
        "source_revision_id": str(statement.current_revision_id),
        "action": "save",
        **changes,
    }


def test_a_drafter_adds_a_french_translation_through_the_form(app, drafting):
    client = signed_in(app, drafting.co_member)
    sid = drafting.statement.id
    page = client.get(f"/statements/{sid}/translations/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<option value="en"' not in html  # the original's own language is not offered
    assert 'value="fr"' in html and "You are translating revision 1" in html

    response = client.post(
        f"/statements/{sid}/translations/new", data=_new_form(drafting.statement)
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/statements/{sid}/translations/fr")
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The French translation is saved." in shown
    assert "Une déclaration commune" in shown and 'lang="fr"' in shown
    assert "Revision 1 of the original" in shown and "up to date" in shown
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "translation.create")
    )
    assert event.actor_id == drafting.co_member.id


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": ""}, "title", "This field is required."),
        ({"language": "pt"}, "language", "Not a valid choice"),
        ({"language": "en"}, "language", "Not a valid choice"),
        ({"body": "x" * 10 + "\n" + "y" * 400_000}, "body", ""),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_changes_nothing(
    app, drafting, changes, field, message
):
    client = signed_in(app, drafting.lead_member)
    sid = drafting.statement.id
    response = client.post(
        f"/statements/{sid}/translations/new", data=_new_form(drafting.statement, **changes)
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error is not None and message in error.group(1)
    assert f'id="{field}"' in html and 'aria-invalid="true"' in html
    assert _count(StatementTranslation) == 0


def test_a_post_without_its_csrf_token_is_refused(app, drafting):
    client = signed_in(app, drafting.lead_member)
    sid = drafting.statement.id
    response = client.post(
        f"/statements/{sid}/translations/new", data=_new_form(drafting.statement), csrf=False
    )
    assert response.status_code == 400
    assert _count(StatementTranslation) == 0


def _french(d, user=None):
    translation = translations.create_translation(
        user or d.lead_member, d.statement, language="fr", title="Une déclaration", body=FRENCH
    )
    db.session.commit()
    return translation


def test_another_organizations_drafter_gets_a_404_and_changes_nothing(app, drafting):
    _french(drafting)
    client = signed_in(app, drafting.other_member)
    sid = drafting.statement.id
    for url in ("translations", "translations/new", "translations/fr", "translations/fr/edit"):
        assert client.get(f"/statements/{sid}/{url}").status_code == 404, url
    posts = {
        "translations/new": _new_form(drafting.statement, language="es"),
        "translations/fr/edit": {"title": "Pirate", "body": "Texte.", "base_revision_id": "1"},
        "translations/import": {"language": "es", "file": (io.BytesIO(b"# T\n\nTexte.\n"), "t.md")},
        "translations/preview": {"body": "x"},
    }
    for url, data in posts.items():
        assert client.post(f"/statements/{sid}/{url}", data=data).status_code == 404, url
    assert _count(TranslationRevision) == 1


def test_a_translation_without_a_text_has_no_pages(app, drafting):
    """A translation row whose first revision was never written (its save failed) is not there
    to read, edit or print: 404, not a server error."""
    db.session.add(StatementTranslation(statement=drafting.statement, language="es"))
    db.session.commit()
    client = signed_in(app, drafting.lead_member)
    sid = drafting.statement.id
    assert client.get(f"/statements/{sid}/translations").status_code == 200
    for url in ("translations/es", "translations/es/edit", "translations/es/draft.pdf"):
        assert client.get(f"/statements/{sid}/{url}").status_code == 404, url


def test_a_coordinator_reads_translations_but_may_not_write_them(app, drafting):
    _french(drafting)
    client = signed_in(app, drafting.coordinator)
    sid = drafting.statement.id
    assert client.get(f"/statements/{sid}/translations/fr").status_code == 200
    listing = client.get(f"/statements/{sid}/translations").get_data(as_text=True)
    assert "Add a translation" not in listing and "Import the translation" not in listing
    assert client.get(f"/statements/{sid}/translations/fr/edit").status_code == 403


def test_the_translation_has_a_draft_pdf_in_its_language(app, drafting):
    from pypdf import PdfReader

    _french(drafting)
    client = signed_in(app, drafting.co_member)
    response = client.get(f"/statements/{drafting.statement.id}/translations/fr/draft.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "-fr-draft-r1.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Une déclaration" in text and "Notre vision" in text
    # The watermark is one of the PDF's own words: in the translation's language.
    assert "PROJET — traduction (Français), révision 1" in text and "DRAFT" not in text
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    # The original's draft is still the original's.
    original = client.get(f"/statements/{drafting.statement.id}/draft.pdf")
    text = " ".join(PdfReader(io.BytesIO(original.data)).pages[0].extract_text().split())
    assert "DRAFT — revision 1" in text and "Notre vision" not in text


def test_editing_saves_a_revision_and_a_stale_editor_gets_a_conflict(app, drafting):
    translation = _french(drafting)
    first = translation.current_revision_id
    client = signed_in(app, drafting.co_member)
    url = f"/statements/{drafting.statement.id}/translations/fr/edit"
    page = client.get(url).get_data(as_text=True)
    assert f'name="base_revision_id" value="{first}"' in page
    form = {
        "base_revision_id": str(first),
        "source_revision_id": str(drafting.statement.current_revision_id),
        "title": "Une déclaration commune",
        "body": FRENCH.replace("des régions", "toutes les régions"),
        "note": "Régions",
        "action": "save",
    }
    saved = client.post(url, data=form)
    assert saved.status_code == 302
    assert "Saved as revision 2 of the translation." in client.get(
        saved.headers["Location"]
    ).get_data(as_text=True)
    # The same editor, sent again on top of revision 1: refused, the text kept in the form.
    again = client.post(url, data={**form, "body": FRENCH + "\nEncore.\n"})
    assert again.status_code == 409
    html = again.get_data(as_text=True)
    assert "Someone saved a newer revision of this translation" in html and "Encore." in html
    assert _count(TranslationRevision) == 2


def test_the_pages_flag_an_out_of_date_translation_and_show_what_changed(app, drafting):
    _french(drafting)
    statement = drafting.statement
    operations.save_revision(
        drafting.lead_member,
        statement,
        base_revision_id=statement.current_revision_id,
        title=statement.title,
        body=statement.current_revision.body.replace("Fair recruitment.", "Ethical recruitment."),
    )
    db.session.commit()
    client = signed_in(app, drafting.co_member)
    listing = client.get(f"/statements/{statement.id}/translations").get_data(as_text=True)
    assert "out of date" in listing and "the original changed after revision 1" in listing
    editor = client.get(f"/statements/{statement.id}/translations/fr/edit").get_data(as_text=True)
    assert "What changed in the original since revision 1" in editor
    assert "<ins>Ethical</ins>" in editor and "<del>Fair</del>" in editor


def test_a_translation_is_imported_through_the_form(app, drafting):
    client = signed_in(app, drafting.co_member)
    sid = drafting.statement.id
    bad = client.post(
        f"/statements/{sid}/translations/import",
        data={"language": "es", "file": (io.BytesIO(b"%PDF-1.4"), "t.pdf")},
    )
    assert bad.status_code == 400
    assert "Upload a .docx, .md or .txt file." in bad.get_data(as_text=True)
    source = "---\ntitle: Una declaración conjunta\n---\n## Nuestra visión\n\nTexto.\n"
    response = client.post(
        f"/statements/{sid}/translations/import",
        data={"language": "es", "file": (io.BytesIO(source.encode()), "es.md")},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "imported as revision 1 of the translation" in page
    assert "Una declaración conjunta" in page and "Imported from es.md" in page


# -- the public page ----------------------------------------------------------------------------


@pytest.fixture
def approved_in_french(approved, crew):
    translations.create_translation(
        crew["drafter"], approved, language="fr", title="Déclaration commune", body=FRENCH
    )
    db.session.commit()
    return approved


def test_the_public_page_offers_each_language_with_hreflang(client, approved_in_french):
    sid = approved_in_french.id
    html = client.get(f"/published/{sid}").get_data(as_text=True)
    assert f'<link rel="alternate" hreflang="fr" href="/published/{sid}/fr">' in html
    assert f'<link rel="alternate" hreflang="en" href="/published/{sid}">' in html
    assert f'href="/published/{sid}/fr.pdf" hreflang="fr"' in html
    assert f'href="/published/{sid}/fr.docx" hreflang="fr"' in html
    assert f'href="/published/{sid}.pdf" hreflang="en"' in html
    assert ">Français</a>" in html
    french = client.get(f"/published/{sid}/fr")
    assert french.status_code == 200
    page = french.get_data(as_text=True)
    assert '<h1 lang="fr">Déclaration commune</h1>' in page and "Notre vision" in page
    assert page.count("Zeta Union") == html.count("Zeta Union") == 1
    assert "Alpha Aid" in page and 'aria-current="page">Français' in page
    # The original's language is the original's page; a language without translation is none.
    assert client.get(f"/published/{sid}/en").status_code == 302
    assert client.get(f"/published/{sid}/es").status_code == 404
    assert client.get(f"/published/{sid}/es.pdf").status_code == 404


def test_a_single_language_statement_keeps_its_page(client, approved):
    html = client.get(f"/published/{approved.id}").get_data(as_text=True)
    assert "hreflang" not in html and "Languages" not in html
    assert f'href="/published/{approved.id}.pdf"' in html


def test_a_translation_the_approved_text_overtook_is_not_published_until_updated(
    client, crew, make_statement, sign
):
    from portal.review import operations as review_ops

    statement = make_statement(StatementState.SIGNING)
    translation = translations.create_translation(
        crew["drafter"], statement, language="es", title="Declaración", body="Texto antiguo.\n"
    )
    operations.save_revision(
        crew["drafter"],
        statement,
        base_revision_id=statement.current_revision_id,
        title=statement.title,
        body=statement.current_revision.body + "\nA new paragraph.\n",
    )
    db.session.commit()
    sign(statement, "Beta Network")
    review_ops.submit(crew["drafter"], statement)
    review_ops.decide(crew["coordinator"], statement, "approve")
    db.session.commit()
    assert client.get(f"/published/{statement.id}/es").status_code == 404
    assert "hreflang" not in client.get(f"/published/{statement.id}").get_data(as_text=True)
    # Updated after approval: published, its files built by the save.
    translations.save_translation_revision(
        crew["drafter"],
        translation,
        base_revision_id=translation.current_revision_id,
        title="Declaración",
        body="Texto nuevo.\n\nUn párrafo nuevo.\n",
    )
    db.session.commit()
    assert client.get(f"/published/{statement.id}/es").status_code == 200
    pdf = client.get(f"/published/{statement.id}/es.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
