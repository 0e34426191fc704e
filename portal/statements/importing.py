"""Statements from files: Word (.docx, through pandoc), Markdown (.md) and plain text (.txt).

Everything is checked before anything is written: the extension says what the file claims to be,
the content must agree (a .docx is a ZIP holding word/document.xml; text must be UTF-8 without
NUL bytes), and the size is limited. The result is the portal's dialect: `##` sections, `###`
sub-headings, `[^n]` footnotes.
"""

import re
from dataclasses import dataclass
from pathlib import PurePath

import yaml
from flask_babel import gettext as _
from markdown_it import MarkdownIt

from ..errors import OperationError
from ..text import FrontMatterError, languages, parse_document
from ..text.limits import TextLimitError, check_limits
from .docx import check_docx, docx_to_markdown
from .limits import EXTENSIONS
from .operations import create_statement

MAX_BYTES = 2 * 1024 * 1024
# What pandoc writes: CommonMark with footnotes and pipe tables, nothing the dialect cannot take
# (no raw HTML, no attribute or span syntax, typographic quotes kept as they are).
PANDOC_FORMAT = (
    "commonmark_x-smart-raw_html-attributes-bracketed_spans-fenced_divs-raw_attribute-emoji-alerts"
)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_blocks = MarkdownIt("commonmark")


@dataclass(frozen=True)
class ImportedText:
    title: str
    body: str
    language: str | None = None


def read_statement_file(filename: str, data: bytes) -> ImportedText:
    """Title and dialect body from an uploaded file, or an OperationError saying what is wrong."""
    name = PurePath(filename or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise OperationError(_("Upload a .docx, .md or .txt file."), "file")
    if not data:
        raise OperationError(_("The file is empty."), "file")
    if len(data) > MAX_BYTES:
        raise OperationError(
            _("The file is larger than %(value)s MB.", value=MAX_BYTES // (1024 * 1024)), "file"
        )
    if suffix == ".docx":
        title, body = _docx_to_markdown(data)
        meta: dict = {}
    else:
        source = _decode(data)
        try:
            meta, body = parse_document(source)
        except FrontMatterError as exc:
            raise OperationError(
                _("The front matter is not valid: %(exc)s.", exc=exc), "file"
            ) from None
        title = meta.get("title")
    try:
        check_limits(body)
    except TextLimitError as exc:
        # A line of pandoc's conversion would mean nothing to the person who wrote the .docx.
        if suffix == ".docx":
            raise OperationError(_("%(summary)s.", summary=exc.summary), "file") from None
        raise OperationError(exc.shifted(_lines_before(source, body)).message, "file") from None
    body, heading_title = _to_dialect(body, take_title=not title)
    title = " ".join(str(title or heading_title or _title_from_name(name)).split())
    if not body.strip():
        raise OperationError(_("The file has no text in it."), "file")
    language = meta.get("language") if isinstance(meta.get("language"), str) else None
    return ImportedText(title=title, body=body, language=language)


def _lines_before(source: str, body: str) -> int:
    """Lines of front matter before the body, which is the end of the file."""
    return source[: len(source) - len(body)].count("\n")


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise OperationError(_("This is not a text file; upload .docx, .md or .txt."), "file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OperationError(
            _("The text is not UTF-8 encoded; save it as UTF-8 and upload it again."), "file"
        ) from None


def _docx_to_markdown(data: bytes) -> tuple[str | None, str]:
    return _split_pandoc_metadata(docx_to_markdown(check_docx(data), PANDOC_FORMAT))


def _split_pandoc_metadata(output: str) -> tuple[str | None, str]:
    if not output.startswith("---\n"):
        return None, output
    end = output.find("\n---\n", 4)
    if end < 0:
        return None, output
    try:
        meta = yaml.safe_load(output[4:end]) or {}
    except yaml.YAMLError:
        meta = {}
    title = meta.get("title") if isinstance(meta, dict) else None
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return (str(title) if title else None), output[end + 5 :]


def _to_dialect(body: str, take_title: bool = True) -> tuple[str, str | None]:
    """Headings shifted so the top level is `##` (deeper ones `###`); a lone top heading at the
    start becomes the title. Images are replaced by their alt text, as the renderer would."""
    lines = body.replace("\r\n", "\n").split("\n")
    headings = []  # (first line, last line, level, text)
    for token_index, token in enumerate(tokens := _blocks.parse("\n".join(lines))):
        if token.type == "heading_open" and token.map and token.level == 0:
            text = tokens[token_index + 1].content
            headings.append((token.map[0], token.map[1], int(token.tag[1]), text))
    title = None
    if headings:
        first_line, last_line, level, text = headings[0]
        before = "\n".join(lines[:first_line]).strip()
        lone = all(other[2] > level for other in headings[1:])
        if take_title and not before and lone:
            title = text
            headings = headings[1:]
            for index in range(first_line, last_line):
                lines[index] = ""
        top = min((h[2] for h in headings), default=2)
        for first_line, last_line, level, text in reversed(headings):
            marks = "#" * min(3, 2 + level - top)
            lines[first_line:last_line] = [f"{marks} {text}"]
    result = _IMAGE.sub(lambda m: m.group(1), "\n".join(lines)).strip("\n")
    return result + "\n", title


def _title_from_name(name: str) -> str:
    stem = PurePath(name).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Imported statement"


def import_statement(user, round_, *, organization, area, filename: str, data: bytes):
    """A new draft from a file, through the same checks as one typed into the editor."""
    imported = read_statement_file(filename, data)
    code = (imported.language or languages.DEFAULT).strip().lower()
    if not languages.is_supported(code):
        raise OperationError(
            f"The file's front matter gives the language {imported.language!r}; use one of "
            f"the UN languages: {', '.join(languages.CODES)}.",
            "file",
        )
    return create_statement(
        user,
        round_,
        area=area,
        organization=organization,
        title=imported.title,
        body=imported.body,
        language=code,
        note=f"Imported from {PurePath(filename).name}",
        source=PurePath(filename).name,
    )
