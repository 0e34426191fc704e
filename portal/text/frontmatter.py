"""YAML front matter of statement files: the block between ``---`` lines at the very top."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from flask_babel import gettext
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

FIELDS = ("title", "process", "round", "date", "lead", "language")
# Other names a field may be given under (the short form drafters know from HTML).
ALIASES = {"lang": "language"}

# The "zero" preset only finds blocks: enough to locate the front matter the way the full
# renderer does, without paying for inline parsing.
_locator = MarkdownIt("zero").use(front_matter_plugin)


class Fields(dict):
    """The front matter's fields; ``lines`` holds the file line of each field, for messages
    about a value the caller judges (``portal render`` checks the language)."""

    def __init__(self, *args, lines: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines or {}


class FrontMatterError(ValueError):
    """Bad front matter; ``line`` is the 1-based line of the file where the problem is."""

    def __init__(self, message: str, line: int):
        super().__init__(f"line {line}: {message}")
        self.message = message
        self.line = line


def parse_document(source: str) -> tuple[Fields, str]:
    """Split a statement file into (front matter fields, Markdown body).

    The fields are those of ``FIELDS`` (``lang`` is read as ``language``), as :class:`Fields`;
    ``date`` becomes a :class:`datetime.date`. A file without front matter gives
    ``({}, source)``.
    """
    source = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not source.startswith("---"):
        return Fields(), source
    first = source.split("\n", 1)[0]
    if first.rstrip("-").strip():
        return Fields(), source
    token = next((t for t in _locator.parse(source) if t.type == "front_matter"), None)
    lines = source.split("\n")
    if token is None or token.map is None:
        raise FrontMatterError(
            gettext("front matter opened with --- is never closed by a --- line"), 1
        )
    end = token.map[1]
    if end > len(lines) or not lines[end - 1].strip() or lines[end - 1].strip()[0] not in "-.":
        raise FrontMatterError(
            gettext("front matter opened with --- is never closed by a --- line"), 1
        )
    # The blank line after the closing fence is layout, not text (a textarea would show it).
    body = "\n".join(lines[end:]).lstrip("\n")
    return _fields(token.content), body


def _fields(content: str) -> Fields:
    # Content starts on line 2 of the file; YAML marks count lines from 0.
    offset = 2
    try:
        node = yaml.compose(content, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark else 1
        raise FrontMatterError(
            gettext("not valid YAML: %(value)s", value=exc.problem or exc), line
        ) from exc
    key_lines = {
        key.value: key.start_mark.line + offset
        for key, _ in (node.value if isinstance(node, yaml.MappingNode) else [])
    }
    try:
        data = yaml.safe_load(content)
    except (yaml.YAMLError, ValueError) as exc:
        # YAML turns 2018-02-30 into a date and fails: blame the date line.
        raise FrontMatterError(
            gettext("date must be YYYY-MM-DD, a real day: %(exc)s", exc=exc),
            key_lines.get("date", offset),
        ) from exc
    if data is None:
        return Fields()
    if not isinstance(data, dict):
        raise FrontMatterError(gettext("front matter must be 'key: value' lines"), offset)
    fields = Fields()
    for given, value in data.items():
        line = key_lines.get(str(given), offset)
        key = ALIASES.get(given, given)
        if key not in FIELDS:
            raise FrontMatterError(
                gettext(
                    "unknown field '%(key)s' (allowed: %(join)s)",
                    key=given,
                    join=", ".join(FIELDS),
                ),
                line,
            )
        if key in fields.lines:
            raise FrontMatterError(
                gettext(
                    "'%(given)s' repeats '%(key)s' given on line %(line)s",
                    given=given,
                    key=key,
                    line=fields.lines[key],
                ),
                line,
            )
        fields.lines[key] = line
        if key == "date":
            fields[key] = _date(value, line)
        elif value is None:
            continue
        elif isinstance(value, (dict, list)):
            raise FrontMatterError(
                gettext("'%(key)s' must be a single line of text", key=given), line
            )
        else:
            text = str(value).strip()
            if "\n" in text:
                raise FrontMatterError(
                    gettext("'%(key)s' must be a single line of text", key=given), line
                )
            fields[key] = text
    return fields


def _date(value, line: int) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FrontMatterError(
            gettext("date must be YYYY-MM-DD, got '%(value)s'", value=value), line
        ) from None
