"""Each language's files of an approved statement, read back: the PDF (pypdf) and the DOCX
(python-docx) in the translation's words with the original's signatory list; the compendium
compiled per language, falling back to the original and saying so."""

import re

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.exports import compendium as comp
from portal.exports.artifacts import file_path
from portal.exports.formats import statement_export
from portal.exports.official import official_pdf
from portal.extensions import db
from portal.models import StatementState
from portal.statements import translation_operations as translations
from tests.helpers.clients import signed_in

FRENCH = """## Nos demandes

Les droits des migrants sont des droits humains.[^1]

- Des voies régulières pour tous.

[^1]: Voir <https://example.org/rapport>.
"""


@pytest.fixture
def french(approved, crew):
    """The approved statement's French translation (its files are built by the save)."""
    translation = translations.create_translation(
        crew["drafter"], approved, language="fr", title="Déclaration commune", body=FRENCH
    )
    db.session.commit()
    return translation.current_revision


def _pdf_text(artifact) -> tuple[str, PdfReader]:
    reader = PdfReader(file_path(artifact))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, reader


def _signatory_list(text: str, heading: str = "Signed by") -> list[str]:
    """The heading and every "Name (Place)" entry after it, in reading order (the extracted
    text runs the two columns into one line, and may put list items of the body after them)."""
    listed = text[text.index(heading) :]
    heading = listed.splitlines()[0]
    return [heading] + [f"{name.strip()} ({place})" for name, place in _ENTRY.findall(listed)]


_ENTRY = re.compile(r"([^()\n]+?) \(([^()\n]+)\)")


def test_each_language_has_its_pdf_with_the_same_signatory_list(approved, french):
    english, english_reader = _pdf_text(official_pdf(approved))
    french_text, french_reader = _pdf_text(official_pdf(approved, translation=french))
    assert "Déclaration commune" in french_text and "Nos demandes" in french_text
    assert "Our asks" in english and "Nos demandes" not in english
    assert "Our asks" not in french_text
    signed = _signatory_list(english)
    assert signed[0] == "Signed by 2 organizations"
    assert signed[1:] == ["Alpha Aid (Brazil)", "Zeta Union (France)"]
    # The same organizations in the same order; the PDF's own words and the places in French.
    assert _signatory_list(french_text, "Signée par") == [
        "Signée par 2 organisations",
        "Alpha Aid (Brésil)",
        "Zeta Union (France)",
    ]
    # The document says its language: screen readers and hyphenation follow it.
    assert french_reader.trailer["/Root"]["/Lang"] == "fr"
    assert english_reader.trailer["/Root"]["/Lang"] == "en"
    assert french_reader.metadata.title == "Déclaration commune"


def test_the_files_are_served_per_language(client, approved, french):
    pdf = client.get(f"/published/{approved.id}/fr.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data == file_path(official_pdf(approved, translation=french)).read_bytes()
    assert "-fr.pdf" in pdf.headers["Content-Disposition"]
    word = client.get(f"/published/{approved.id}/fr.docx")
    assert word.status_code == 200 and word.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in word.headers["Content-Disposition"]
    assert "-fr.docx" in word.headers["Content-Disposition"]


def _docx_paragraphs(artifact) -> list[str]:
    document = docx.Document(file_path(artifact))
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_each_language_has_its_docx_with_the_same_signatory_list(approved, french):
    english = _docx_paragraphs(statement_export(approved, "docx"))
    french_paragraphs = _docx_paragraphs(statement_export(approved, "docx", french))
    assert "Nos demandes" in french_paragraphs and "Our asks" not in french_paragraphs
    assert "Déclaration commune" in french_paragraphs  # the document's title
    start = english.index("Signed by 2 organizations")
    listed = english[start:]
    assert listed == french_paragraphs[french_paragraphs.index("Signed by 2 organizations") :]
    assert {"Alpha Aid (Brazil)", "Zeta Union (France)"} <= set(listed)
    # Word is told the language (spelling, hyphenation).
    document = docx.Document(file_path(statement_export(approved, "docx", french)))
    styles = document.styles.element.xml
    assert re.search(r'<w:lang [^>]*w:val="fr"', styles)


def test_a_translation_has_no_html_export(approved, french):
    with pytest.raises(ValueError, match="docx"):
        statement_export(approved, "html", french)


# -- the compendium per language ---------------------------------------------------------------


@pytest.fixture
def round_in_two_languages(approved, french, crew, make_statement):
    """Two approved statements; only the first is translated into French."""
    make_statement(StatementState.APPROVED, title="Untranslated statement")
    return crew["round"]


def test_the_compendium_as_written_is_unchanged(round_in_two_languages):
    compendium = comp.round_compendium(round_in_two_languages)
    assert [e.doc.language for e in compendium.entries] == ["en", "en"]
    assert not compendium.translated and compendium.in_original == []
    french = comp.round_compendium(round_in_two_languages, "fr")
    assert comp.compendium_key(french) != comp.compendium_key(compendium)


def test_the_compendium_in_french_falls_back_to_the_original_and_says_so(
    round_in_two_languages, tmp_path
):
    compendium = comp.round_compendium(round_in_two_languages, "fr")
    titles = {e.doc.title: e for e in compendium.entries}
    assert set(titles) == {"Déclaration commune", "Untranslated statement"}
    assert titles["Déclaration commune"].doc.language == "fr"
    assert titles["Untranslated statement"].in_original
    path = tmp_path / "compendium-fr.pdf"
    comp.write_compendium(compendium, path)
    reader = PdfReader(path)
    front = " ".join(" ".join(reader.pages[n].extract_text().split()) for n in (0, 1))
    # The cover and contents speak the compendium's language.
    assert "Langue de ce recueil : Français." in front
    assert "1 des 2 déclarations n’a pas de traduction (Français)" in front
    assert "(original : Anglais, pas de traduction : Français)" in front
    assert "12–15 mars 2018" in front and "March" not in front
    body = " ".join(page.extract_text() for page in reader.pages)
    assert "Nos demandes" in body and "Our asks" in body  # the untranslated one, as written
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_compile_round_cli_takes_a_language(app, round_in_two_languages, tmp_path):
    from portal.models import Artifact, ArtifactKind

    out = tmp_path / "fr.pdf"
    runner = app.test_cli_runner()
    slug = round_in_two_languages.slug
    result = runner.invoke(args=["compile-round", slug, "-o", str(out), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    assert "1 of them has no French translation" in result.output
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Nos demandes" in text and "Langue de ce recueil : Français." in " ".join(text.split())
    # Written to the file only: the round page's compendium stays the originals'.
    stored = select(Artifact).where(Artifact.kind == ArtifactKind.COMPENDIUM_PDF)
    assert db.session.scalars(stored).all() == []
    wrong = runner.invoke(args=["compile-round", slug, "-o", str(out), "--lang", "pt"])
    assert wrong.exit_code == 2 and "'pt' is not one of" in wrong.output


@pytest.mark.commits  # the worker's connection must see the rows
def test_with_a_worker_the_files_of_a_translation_are_built_by_it(
    app, approved, crew, client, redis_queue
):
    translation = translations.create_translation(
        crew["drafter"], approved, language="fr", title="Déclaration commune", body=FRENCH
    )
    db.session.commit()  # the save queued the build; the GET only reads or waits
    waiting = client.get(f"/published/{approved.id}/fr.pdf")
    assert waiting.status_code == 202 and "Retry-After" in waiting.headers
    drafter = signed_in(app, crew["drafter"])
    draft_url = f"/statements/{approved.id}/translations/fr/draft.pdf"
    assert drafter.get(draft_url).status_code == 202
    redis_queue.work()
    pdf = client.get(f"/published/{approved.id}/fr.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert (
        pdf.data
        == file_path(official_pdf(approved, translation=translation.current_revision)).read_bytes()
    )
    assert client.get(f"/published/{approved.id}/fr.docx").status_code == 200
    draft = drafter.get(draft_url)
    assert draft.status_code == 200 and draft.data.startswith(b"%PDF")
