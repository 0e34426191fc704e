"""The statement text: a Markdown dialect, one renderer for the web page, the preview and the PDF.

The dialect is CommonMark plus footnotes (``text[^1]`` / ``[^1]: note``), bare URLs turned into
links, ``::: closing`` … ``:::`` blocks and optional YAML front matter (files only). Raw HTML is
off, only http/https/mailto links survive, images are never loaded (their alt text is kept), and
nh3 applies the final allowlist — see :mod:`portal.text.markdown`.

HTML shape of :func:`render_html` (what the templates and CSS can rely on):

- ``## Heading`` → ``<h2>``; ``### Heading`` → ``<h3>`` (CSS prints the "o" marker);
- ``::: closing`` → ``<div class="closing">``;
- footnote calls → ``<sup class="footnote-ref"><a href="#fn1" id="fnref1">1</a></sup>``;
- footnotes (``footnotes="end"``, the default, for the web page) → at the end of the fragment,
  ``<section class="footnotes"><ol class="footnotes-list"><li id="fn1" class="footnote-item">…
  <a href="#fnref1" class="footnote-backref">↩</a></li></ol></section>``;
- footnotes for print (``footnotes="inline"``) → the note itself stands at its call, as
  ``<span class="footnote" id="fn1">note text</span>`` (paragraphs joined by ``<br>``), ready for
  CSS ``float: footnote``; no section at the end.

``doc_id`` prefixes the footnote ids (``fn-<doc_id>-1``) so several statements fit in one document.

``lang`` (default ``"en"``) sets the text in that language's typography — quotation marks,
footnote calls before or after . , ; :, French no-break spaces — and a ``<p>``, ``<h1>``…``<h6>``
or ``<li>`` whose first letter runs against the language's direction gets ``dir="rtl"`` or
``dir="ltr"``; the page or PDF sets ``lang`` and ``dir`` on the element around the fragment. See
:mod:`portal.text.typography` and :mod:`portal.text.language_rules`.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata

from .frontmatter import FrontMatterError, parse_document
from .markdown import plain_text, render_html

__all__ = [
    "FrontMatterError",
    "estimate_pages",
    "normalize",
    "pages_for_words",
    "parse_document",
    "plain_text",
    "render_html",
    "text_hash",
    "word_count",
]

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
# The model statement (about 1,900 words, six footnotes) fills five A4 pages at the PDF's size.
WORDS_PER_PAGE = 420
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def word_count(body: str) -> int:
    """Words a reader sees: body and footnotes, without Markdown syntax or link targets."""
    return len(_WORD.findall(plain_text(body)))


def estimate_pages(body: str) -> int:
    """Printed A4 pages of the statement text alone (the signatory list is extra)."""
    return pages_for_words(word_count(body))


def pages_for_words(words: int) -> int:
    """estimate_pages from a stored word count (Revision.word_count): no second render."""
    return max(1, math.ceil(words / WORDS_PER_PAGE))


def normalize(text: str) -> str:
    """The canonical form hashed for a revision: NFC, \\n line ends, no trailing spaces, one
    final newline — so a re-save from another editor or OS does not look like a change."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_SPACE.sub("", text)
    return text.rstrip("\n") + "\n"


def text_hash(title: str, body: str) -> str:
    """Hex SHA-256 of the normalized title (one line, no newline) + "\\n\\n" + normalized body."""
    payload = normalize(title).rstrip("\n") + "\n\n" + normalize(body)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
