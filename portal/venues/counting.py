"""The one definition of a statement's word count (docs/venues.md, "Counting words").

A word is a run of letters or digits, joined by an apostrophe or hyphen ("civil-society" and
"UNHCR's" are one word each). The body counts the written words of every block (headings,
paragraphs, lists, the closing block); link targets and Markdown markers never count. Venues
differ in what else counts: footnotes, the signatory list and a cover page (title block) are
each counted apart and added when the requirements say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..text.markdown import _parser

WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_COUNTED_CHILDREN = frozenset({"text", "code_inline"})


@dataclass(frozen=True)
class WordCount:
    body: int
    footnotes: int
    signatories: int
    cover: int
    total: int


def words_in(text: str) -> int:
    return len(WORD.findall(text))


def count_words(
    body: str,
    *,
    footnotes: bool = False,
    signatories: Iterable[str] = (),
    cover: Iterable[str] = (),
) -> WordCount:
    """Words of `body` (the dialect), split by where they stand; `total` adds the footnotes
    when `footnotes`, and always the `signatories` and `cover` lines given (pass none when the
    venue does not count them)."""
    in_body, in_notes = _body_words(body)
    listed = sum(words_in(line) for line in signatories)
    covered = sum(words_in(line) for line in cover)
    total = in_body + (in_notes if footnotes else 0) + listed + covered
    return WordCount(in_body, in_notes, listed, covered, total)


# A page checks its text twice (the problems, the count shown) and the editor's checks re-post
# the same text: one Markdown parse per text, as markdown.render_html keeps one render.
@lru_cache(maxsize=48)
def _body_words(body: str) -> tuple[int, int]:
    """Words of the body outside and inside footnotes."""
    in_body = in_notes = depth = 0
    for token in _parser().parse(body, {}):
        if token.type == "footnote_open":
            depth += 1
        elif token.type == "footnote_close":
            depth -= 1
        elif token.type == "inline":
            words = sum(
                words_in(child.content)
                for child in token.children or ()
                if child.type in _COUNTED_CHILDREN
            )
            if depth:
                in_notes += words
            else:
                in_body += words
    return in_body, in_notes
