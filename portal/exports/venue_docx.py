"""The Word file a venue takes (HRC written statement): the venue's font and sizes, a title
block, the body as plain paragraphs, the signatories in the venue's order, and the co-signers
that may not sign in their own name in a footnote to the title (venues/delivery.py).

python-docx writes no footnotes: the footnotes part is added here as the WordprocessingML it
is (ECMA-376 §17.11), with the two separator notes Word expects before the first real one."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt
from flask_babel import force_locale
from flask_babel import gettext as _

from ..models import Statement
from ..text.markdown import _parser
from ..venues.delivery import Arrangement
from ..venues.statement_checks import delivered_list

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TITLE_NOTE_ID = "1"


@dataclass(frozen=True)
class DocxStyle:
    font: str = "Times New Roman"
    body_size: int = 12
    title_size: int = 14
    note_size: int = 10


HRC_STYLE = DocxStyle()


def _paragraphs(body: str) -> list[str]:
    """The body's blocks as plain text (the venue's template has no styles of ours): a note's
    call as "[n]", the notes themselves as "[n] text" paragraphs after the body."""
    text: list[str] = []
    notes: list[str] = []
    depth = 0
    for token in _parser().parse(body, {}):
        if token.type == "footnote_open":
            depth += 1
            notes.append(f"[{token.meta['id'] + 1}]")
        elif token.type == "footnote_close":
            depth -= 1
        elif token.type == "inline":
            words = "".join(
                f"[{child.meta['id'] + 1}]" if child.type == "footnote_ref" else child.content
                for child in token.children or ()
                if child.type in ("text", "code_inline", "footnote_ref", "softbreak")
            ).strip()
            if depth:
                notes[-1] += " " + words
            elif words:
                text.append(words)
    return text + notes


def _footnotes_xml(text: str, style: DocxStyle) -> bytes:
    font = quoteattr(style.font)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f'<w:footnote w:id="{TITLE_NOTE_ID}"><w:p>'
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f"<w:r><w:rPr><w:rFonts w:ascii={font} w:hAnsi={font}/>"
        f'<w:sz w:val="{style.note_size * 2}"/></w:rPr>'
        f'<w:t xml:space="preserve"> {escape(text)}</w:t></w:r>'
        "</w:p></w:footnote></w:footnotes>"
    ).encode()


def _add_title_footnote(document, text: str, style: DocxStyle) -> None:
    blob = _footnotes_xml(text, style)
    parse_xml(blob)  # well-formed, or fail here rather than in Word
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, blob, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def _footnote_reference(paragraph) -> None:
    run = paragraph.add_run()
    props = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    props.append(align)
    run._r.append(props)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), TITLE_NOTE_ID)
    run._r.append(reference)


def venue_docx(
    *,
    title: str,
    body: str,
    lead: str,
    arrangement: Arrangement,
    note_text: str,
    style: DocxStyle = HRC_STYLE,
) -> bytes:
    """The statement as the venue's Word file. `note_text` introduces the co-signers of the
    title footnote (e.g. "Also endorsed by the following organizations without consultative
    status:"); no footnote when there are none."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = style.font
    normal.font.size = Pt(style.body_size)
    heading = document.add_paragraph()
    title_run = heading.add_run(title)
    title_run.bold = True
    title_run.font.size = Pt(style.title_size)
    if arrangement.title_footnote:
        names = ", ".join(s.name for s in arrangement.title_footnote)
        _footnote_reference(heading)
        _add_title_footnote(document, f"{note_text} {names}.", style)
    document.add_paragraph(lead)
    for text in _paragraphs(body):
        document.add_paragraph(text)
    if arrangement.listed:
        document.add_paragraph(", ".join(s.name for s in arrangement.listed))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def statement_venue_docx(statement: Statement) -> bytes:
    """The approved (or current) text of `statement` as its round's venue takes it, the
    signatories arranged by the venue's rules, in the statement's own language."""
    revision = statement.current_revision
    if revision is None:
        raise ValueError("The statement has no text.")
    with force_locale(statement.language):
        note = _("Also endorsed by the following organizations, without consultative status:")
    return venue_docx(
        title=revision.title,
        body=revision.body,
        lead=statement.lead_organization.display_un_name,
        arrangement=delivered_list(statement),
        note_text=note,
    )
