"""How much text a statement may hold, checked when it is saved, imported or rendered.

Laying out a PDF costs time in proportion to the text and, above all, to its footnotes: each
note floats to the foot of its page and the writer lays the document out again when one slips
to the next page. A text with thousands of notes took over a minute per PDF. The limits are far
above any real statement (the model has about 1,900 words and six notes) and keep every PDF to a
few seconds of work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import gettext as _

from ..locale_formats import format_number
from .markdown import _parser

MAX_CHARACTERS = 200_000
MAX_WORDS = 20_000  # about 48 printed pages
MAX_FOOTNOTES = 200  # calls, so one note called 5,000 times counts 5,000

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


@dataclass
class TextLimitError(ValueError):
    """The text is over a limit (``summary``); ``line`` is the 1-based line of the text where
    it is passed, and ``where`` what happens there."""

    summary: str
    line: int
    where: str = "the limit is passed"

    @property
    def message(self) -> str:
        return f"{self.summary} ({self.where} on line {self.line})."

    def shifted(self, lines: int) -> TextLimitError:
        """The same error in a file where the text starts after `lines` lines (front matter)."""
        return TextLimitError(self.summary, self.line + lines, self.where)

    def __str__(self) -> str:
        return self.message


def _line_of_offset(body: str, offset: int) -> int:
    return body.count("\n", 0, offset) + 1


def check_limits(body: str) -> None:
    """Raise TextLimitError when the text is over a limit (characters, words, footnotes)."""
    if len(body) > MAX_CHARACTERS:
        line = _line_of_offset(body, MAX_CHARACTERS)
        raise TextLimitError(
            gettext(
                "The text is longer than %(max)s characters; shorten it",
                max=format_number(MAX_CHARACTERS),
            ),
            line,
        )

    footnotes = words = 0
    for token in _parser().parse(body, {}):
        if token.type != "inline":
            continue
        line = (token.map[0] + 1) if token.map else 1
        calls = sum(1 for child in token.children or () if child.type == "footnote_ref")
        if footnotes + calls > MAX_FOOTNOTES:
            raise TextLimitError(
                _(
                    "The text calls more than %(max_footnotes)s footnotes; a statement may "
                    "have at most %(max_footnotes)s",
                    max_footnotes=MAX_FOOTNOTES,
                ),
                line,
                f"footnote {MAX_FOOTNOTES + 1} is called",
            )
        footnotes += calls
        # Words of the written text (link targets included): a close, cheap measure.
        words += len(_WORD.findall(token.content))
        if words > MAX_WORDS:
            raise TextLimitError(
                gettext(
                    "The text is longer than %(max)s words; shorten it",
                    max=format_number(MAX_WORDS),
                ),
                line,
            )
