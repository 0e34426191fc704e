"""Typography per language, as markdown-it core rules over the parsed statement.

The language comes in ``env["lang"]`` (see :mod:`portal.text.language_rules` for the rules of each).
Only prose is touched: text inside code spans, and the words of a bare URL turned into a link,
are left exactly as typed; link targets are attributes and never change.

- Quotation marks: straight ``"`` and ``'`` become the language's marks, apostrophes ``’``
  (markdown-it's own smartquotes algorithm, fed the language's marks).
- Footnote calls: moved after the adjacent . , ; : in English and before it in French, Spanish
  and Russian (the UN Editorial Manual for English; French, Spanish and Russian house style).
- French spacing: U+202F (narrow no-break space) before ; ! ? and U+00A0 (no-break space)
  before : and inside « », replacing any space typed there.
- Direction: a paragraph, heading or list item whose first strong character runs against the
  statement's direction gets ``dir`` (``rtl`` in an English statement quoting Arabic, ``ltr`` in
  an Arabic statement quoting English) — what ``dir="auto"`` means, resolved here because
  WeasyPrint does not implement ``auto``.
"""

from __future__ import annotations

import re
import unicodedata
from types import SimpleNamespace

from markdown_it.rules_core.smartquotes import process_inlines
from markdown_it.token import Token

from .language_rules import AFTER, BEFORE, Language, language

NBSP, NNBSP = "\u00a0", "\u202f"
_URL_LINKS = frozenset({"linkify", "autolink"})
_SPACES = "[ \t\u00a0\u202f]*"
# Stands for "some word before this token" so the rules below see across token boundaries.
_SENTINEL = "\ue000"
# A ; : ! ? used as punctuation: after a word (not an opening bracket), before a space, the end
# or closing punctuation — not "10:30", "https://" or "?q=1".
_FRENCH_BEFORE = re.compile(
    rf"(?<=[^\s(\[{{«]){_SPACES}([;:!?][;:!?]*)(?=[\s)\]}}»\u201d\u2019.,…]|$)"
)
_AFTER_OPENING = re.compile(rf"«{_SPACES}")
_BEFORE_CLOSING = re.compile(rf"{_SPACES}»")
_CALL_PUNCTUATION = "[.,;:]+"
_TRAILING_PUNCTUATION = re.compile(rf"{_SPACES}{_CALL_PUNCTUATION}$")
_LEADING_PUNCTUATION = re.compile(rf"^{_CALL_PUNCTUATION}")


def quotes_rule(state) -> None:
    """Straight quotes → the language's marks. Runs before text_join, as markdown-it's own
    smartquotes does, so an escaped ``\\"`` stays straight."""
    rules = language(state.env.get("lang"))
    if rules.quotes is None:
        return
    for block in state.tokens:
        if (
            block.type == "inline"
            and block.children
            and ('"' in block.content or "'" in block.content)
        ):
            set_quotes(block.children, rules)


def set_quotes(children: list[Token], rules: Language) -> None:
    # smartquotes reads the marks from state.md.options.quotes; the shared parser's options
    # must not change per call (the web server renders in several threads).
    shim = SimpleNamespace(md=SimpleNamespace(options=SimpleNamespace(quotes=rules.quotes)))
    urls = [token for _, token in _url_words(children)]
    for token in urls:
        token.type = "url_text"  # smartquotes only looks at "text" tokens
    try:
        # The shim has the one attribute smartquotes reads (state.md.options.quotes).
        process_inlines(children, shim)  # type: ignore[arg-type]
    finally:
        for token in urls:
            token.type = "text"


def punctuation_rule(state) -> None:
    """Footnote calls, French spacing and paragraph direction. Runs after text_join, so each
    run of prose between two other tokens is one text token."""
    rules = language(state.env.get("lang"))
    for index, block in enumerate(state.tokens):
        if block.type != "inline" or not block.children:
            continue
        if rules.footnote_call:
            block.children = place_footnote_calls(block.children, rules.footnote_call)
        if rules.french_spacing:
            block.children = french_spacing(block.children)
        _mark_direction(state.tokens, index, rules.direction)


def place_footnote_calls(children: list[Token], where: str) -> list[Token]:
    out = list(children)
    i = 0
    while i < len(out):
        if out[i].type != "footnote_ref":
            i += 1
            continue
        j = i
        while j + 1 < len(out) and out[j + 1].type == "footnote_ref":
            j += 1
        before = out[i - 1] if i > 0 and out[i - 1].type == "text" else None
        after = out[j + 1] if j + 1 < len(out) and out[j + 1].type == "text" else None
        if where == BEFORE and before is not None:
            match = _TRAILING_PUNCTUATION.search(before.content)
            if match and match.start() > 0:
                before.content = before.content[: match.start()]
                if after is not None:
                    after.content = match.group() + after.content
                else:
                    out.insert(j + 1, _text(match.group(), out[j]))
        elif where == AFTER and after is not None:
            match = _LEADING_PUNCTUATION.match(after.content)
            if match:
                after.content = after.content[match.end() :]
                if before is not None:
                    before.content = before.content.rstrip(" \t") + match.group()
                else:
                    out.insert(i, _text(match.group(), out[i]))
                    j += 1
        i = j + 1
    return out


def french_spacing(children: list[Token]) -> list[Token]:
    prose = {id(token) for _, token in _prose(children)}
    for index, token in enumerate(children):
        if id(token) not in prose:
            continue
        previous = children[index - 1] if index else None
        # A source line break is the space before the mark: it is replaced like one (below).
        glued = previous is not None and previous.type != "hardbreak"
        text = (_SENTINEL if glued else "") + token.content
        text = _FRENCH_BEFORE.sub(_french_space, text)
        text = _AFTER_OPENING.sub("«" + NBSP, text)
        text = _BEFORE_CLOSING.sub(NBSP + "»", text)
        token.content = text.removeprefix(_SENTINEL)
    return _drop_breaks_at_no_break_spaces(children)


def typeset(text: str, lang: str | None) -> str:
    """The same quotes and spacing for a line of plain text (a title, a lead organization)."""
    rules = language(lang)
    children = [Token("text", "", 0, content=text)]
    if rules.quotes is not None:
        set_quotes(children, rules)
    if rules.french_spacing:
        children = french_spacing(children)
    return children[0].content


def _french_space(match: re.Match) -> str:
    marks = match.group(1)
    return (NBSP if marks[0] == ":" else NNBSP) + marks


def _drop_breaks_at_no_break_spaces(children: list[Token]) -> list[Token]:
    # A source line break next to a no-break space would still let the line break there.
    def binds(token, at_start):
        if token is None or token.type != "text" or not token.content:
            return False
        return token.content[0 if at_start else -1] in (NBSP, NNBSP)

    kept: list[Token] = []
    for index, token in enumerate(children):
        if token.type == "softbreak":
            following = children[index + 1] if index + 1 < len(children) else None
            if binds(kept[-1] if kept else None, False) or binds(following, True):
                continue
        kept.append(token)
    return kept


def _text(content: str, like: Token) -> Token:
    token = Token("text", "", 0, content=content)
    token.level = like.level
    return token


def _url_words(children: list[Token]):
    inside = 0
    for index, token in enumerate(children):
        if token.type == "link_open" and token.markup in _URL_LINKS:
            inside += 1
        elif token.type == "link_close" and token.markup in _URL_LINKS:
            inside -= 1
        elif token.type == "text" and inside:
            yield index, token


def _prose(children: list[Token]):
    urls = {index for index, _ in _url_words(children)}
    for index, token in enumerate(children):
        if token.type == "text" and index not in urls:
            yield index, token


def first_strong_direction(children: list[Token]) -> str | None:
    """``"ltr"`` or ``"rtl"`` from the first strongly directional character of the prose (the
    Unicode bidi algorithm's rule P2), None when there is none."""
    for _, token in _prose(children):
        found = text_direction(token.content)
        if found:
            return found
    return None


def text_direction(text: str) -> str | None:
    """The same for a line of plain text (a title, a round's name)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def _mark_direction(tokens: list[Token], index: int, base: str) -> None:
    found = first_strong_direction(tokens[index].children or [])
    if found is None or found == base or index == 0:
        return
    opener: Token | None = tokens[index - 1]
    if opener is not None and opener.type == "paragraph_open" and opener.hidden:
        # A tight list's paragraph prints no <p>: the list item carries the direction.
        opener = next(
            (t for t in reversed(tokens[: index - 1]) if t.type == "list_item_open"), None
        )
    if opener is not None and opener.type in ("paragraph_open", "heading_open", "list_item_open"):
        opener.attrSet("dir", found)
