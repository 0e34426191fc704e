"""The HRC Word file read back with python-docx (issue 14, item 4): the venue's font and sizes,
the title, and the co-signers without consultative status in a footnote to the title."""

import io
import re

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Pt

from portal.exports.venue_docx import statement_venue_docx
from portal.extensions import db
from portal.models import StatementState, utcnow
from portal.rounds.requirements import set_requirements
from portal.venues.profiles import HRC


def footnotes_text(document) -> str:
    part = document.part.part_related_by(RT.FOOTNOTES)
    xml = part.blob.decode("utf-8")
    return " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_hrc_docx_has_the_font_sizes_and_the_title_footnote(crew, make_statement, sign):
    crew["lead"].ecosoc_status = "general"
    crew["lead"].ecosoc_verified_at = utcnow()
    set_requirements(crew["coordinator"], crew["round"], HRC)
    db.session.commit()
    statement = make_statement(StatementState.SIGNING, title="Rights & remedies <now>")
    in_status = sign(statement, "Status Holder", "CH").organization
    in_status.ecosoc_status = "special"
    in_status.ecosoc_verified_at = utcnow()
    sign(statement, "Zulu Local Group", "KE")
    sign(statement, "Alpha Local Group", "FR")
    db.session.commit()

    document = Document(io.BytesIO(statement_venue_docx(statement)))
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(12))
    title = document.paragraphs[0]
    assert title.text == "Rights & remedies <now>"
    assert title.runs[0].bold and title.runs[0].font.size == Pt(14)
    assert 'w:footnoteReference w:id="1"' in title._p.xml
    note = footnotes_text(document)
    assert "without consultative status: Alpha Local Group, Zulu Local Group." in note
    assert "Status Holder" not in note
    texts = [p.text for p in document.paragraphs]
    assert "Status Holder" in texts[-1] and "Zulu" not in texts[-1]
    assert "Migrants’ rights are human rights.[1]" in texts  # the call, not "[^1]"
    assert any(t.startswith("[1] See") for t in texts)


def test_without_excluded_co_signers_there_is_no_footnote(crew, make_statement, sign):
    set_requirements(crew["coordinator"], crew["round"], HRC)
    statement = make_statement(StatementState.SIGNING)
    document = Document(io.BytesIO(statement_venue_docx(statement)))
    assert "footnoteReference" not in document.paragraphs[0]._p.xml


def test_the_coordinator_downloads_the_approved_statements_word_file(
    crew, make_approved, client_for
):
    crew["lead"].ecosoc_status = "general"
    crew["lead"].ecosoc_verified_at = utcnow()
    set_requirements(crew["coordinator"], crew["round"], HRC)
    db.session.commit()
    statement = make_approved(signers=[("Local Group", "KE")])
    client = client_for(crew["coordinator"])
    page = client.get(f"/review/statements/{statement.id}").get_data(as_text=True)
    assert f"/statements/{statement.id}/venue.docx" in page
    response = client.get(f"/statements/{statement.id}/venue.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    assert "Local Group." in footnotes_text(document)
