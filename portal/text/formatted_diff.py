"""Differences between two texts as the reader sees them: the rendered statement, with <ins> and
<del> inside its headings, lists, footnotes and closing block — not the Markdown source.

Both bodies go through the one renderer (so the comparison is of what delegations read), then
their HTML is cut into atoms: words, single punctuation marks, whitespace and line breaks, each
remembering the elements it sits in. Words and punctuation are separate atoms, so "rights." →
"rights;" changes the mark, not the word. As in :mod:`portal.text.diff`, two passes keep it fast:
blocks (paragraphs, headings, items) first, then atoms inside the blocks that changed.

An atom's identity includes its formatting (heading, list, emphasis, link target), so turning a
paragraph into a heading shows as a change. Deleted text is put back where it stood, inside the
elements of the new text that correspond to its old ones; the result is sanitized again.
"""

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html import escape
from html.parser import HTMLParser

import nh3
from markupsafe import Markup

from .diff import DiffResult, RevisionDiff
from .markdown import ALLOWED_SCHEMES, ATTRIBUTES, CLASSES, TAGS, render_html

_TOKEN = re.compile(r"\s+|\w+(?:['’\-]\w+)*|[^\w\s]")
_WORDLIKE = re.compile(r"\w")
_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div"})
_VOID = frozenset({"br", "hr"})
_EXACT_LIMIT = 4000  # as in diff.py: above this many atoms, let difflib skip popular ones
_serial = itertools.count()


@dataclass(frozen=True)
class _Element:
    tag: str
    attrs: tuple
    serial: int  # identity: two equal paragraphs are still two elements
    old: bool = False  # from the old text only (deleted structure)

    @property
    def style(self) -> tuple:
        """What of the element a reader sees: its kind, and an outside link's target."""
        href = dict(self.attrs).get("href") or ""
        return (self.tag, href if self.tag == "a" and not href.startswith("#") else "")

    def start_tag(self, again: bool = False) -> str:
        """The start tag; `again` when the element was opened before and is continued."""
        parts = [self.tag]
        for name, value in self.attrs:
            # Ids and in-page links of deleted elements would clash with, or point into, the new;
            # an element continued after an interruption keeps its id on its first part only.
            internal = name == "href" and (value or "").startswith("#")
            if (self.old and (name == "id" or internal)) or (again and name == "id"):
                continue
            parts.append(name if value is None else f'{name}="{escape(value)}"')
        return f"<{' '.join(parts)}>"


@dataclass
class _Atom:
    text: str
    path: tuple  # of _Element, outermost first
    kind: str  # "word", "space" or "void" (a <br> or <hr>)

    @property
    def key(self) -> tuple:
        # <p> is left out: a list item's words read the same whether the list is tight or loose.
        styles = tuple(e.style for e in self.path if e.tag != "p")
        return (styles, self.text)

    @property
    def block(self):
        return next((e for e in reversed(self.path) if e.tag in _BLOCKS), None)


class _Atomizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.atoms: list[_Atom] = []
        self.stack: list[_Element] = []

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, tuple(attrs), next(_serial))
        if tag in _VOID:
            self.atoms.append(_Atom(f"<{tag}>", tuple(self.stack), "void"))
        else:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        path = tuple(self.stack)
        for token in _TOKEN.findall(data):
            kind = "space" if token.isspace() else "word"
            self.atoms.append(_Atom(token, path, kind))


def _atoms(html: str) -> list[_Atom]:
    parser = _Atomizer()
    parser.feed(html)
    parser.close()
    return parser.atoms


@dataclass
class _Side:
    """One text's atoms and, among them, the ones compared (all but whitespace)."""

    atoms: list[_Atom]
    units: list[int] = field(init=False)  # indexes into atoms

    def __post_init__(self):
        self.units = [i for i, a in enumerate(self.atoms) if a.kind != "space"]

    def atom_range(self, u1: int, u2: int) -> range:
        """The atoms of units [u1, u2) with the whitespace that follows each."""
        start = self.units[u1] if u1 < len(self.units) else len(self.atoms)
        end = self.units[u2] if u2 < len(self.units) else len(self.atoms)
        return range(start, end)

    def blocks(self) -> list[tuple[int, int]]:
        """Runs of units in the same block element, as [start, end) unit indexes."""
        runs, start = [], 0
        for u in range(1, len(self.units) + 1):
            if u == len(self.units) or self._block(u) is not self._block(start):
                runs.append((start, u))
                start = u
        return runs if self.units else []

    def _block(self, u: int):
        return self.atoms[self.units[u]].block

    def keys(self, u1: int, u2: int) -> list[tuple]:
        return [self.atoms[i].key for i in self.units[u1:u2]]


def _opcodes(old: _Side, new: _Side) -> list[tuple]:
    """Unit-level opcodes: blocks first, then units inside the stretches of changed blocks."""
    old_blocks, new_blocks = old.blocks(), new.blocks()
    matcher = SequenceMatcher(
        None,
        [tuple(old.keys(*b)) for b in old_blocks],
        [tuple(new.keys(*b)) for b in new_blocks],
        autojunk=False,
    )
    result = []
    for tag, b1, b2, c1, c2 in matcher.get_opcodes():
        i1 = old_blocks[b1][0] if b1 < len(old_blocks) else len(old.units)
        i2 = old_blocks[b2 - 1][1] if b2 > b1 else i1
        j1 = new_blocks[c1][0] if c1 < len(new_blocks) else len(new.units)
        j2 = new_blocks[c2 - 1][1] if c2 > c1 else j1
        if tag == "equal":
            result.append(("equal", i1, i2, j1, j2))
            continue
        a, b = old.keys(i1, i2), new.keys(j1, j2)
        words = SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > _EXACT_LIMIT)
        for op, x1, x2, y1, y2 in words.get_opcodes():
            result.append((op, i1 + x1, i1 + x2, j1 + y1, j1 + y2))
    return result


def _correspondence(old: _Side, new: _Side, opcodes) -> dict:
    """Old elements → the new elements holding the same unchanged words, outermost first, so
    deleted words go back into the paragraph, list or footnote they were deleted from."""
    mapping: dict = {}
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "equal":
            continue
        for u, v in zip(range(i1, i2), range(j1, j2), strict=True):
            old_path, new_path = old.atoms[old.units[u]].path, new.atoms[new.units[v]].path
            for a, b in zip(old_path, new_path, strict=False):
                if a.tag != b.tag:
                    break
                mapping.setdefault(a, b)
    return mapping


# (state, atom, path); _fold puts ("skip", count, ()) in place of unchanged blocks.
_Piece = tuple[str, _Atom, tuple]
_Skip = tuple[str, int, tuple]


def _pieces(old: _Side, new: _Side) -> list[_Piece]:
    """(state, atom, path to write it at) in reading order; state is equal, del or ins."""
    opcodes = _opcodes(old, new)
    mapping = _correspondence(old, new, opcodes)

    def moved(path: tuple) -> tuple:
        return tuple(mapping.get(e) or _Element(e.tag, e.attrs, e.serial, old=True) for e in path)

    def old_side(state: str, atoms) -> list:
        return [(state, old.atoms[k], moved(old.atoms[k].path)) for k in atoms]

    def new_side(state: str, atoms) -> list:
        return [(state, new.atoms[k], new.atoms[k].path) for k in atoms]

    # Whitespace before the first word belongs to nobody; take the new text's.
    pieces = new_side("equal", range(new.units[0] if new.units else len(new.atoms)))
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag in ("delete", "replace"):
            pieces += old_side("del", old.atom_range(i1, i2))
        if tag in ("insert", "replace"):
            pieces += new_side("ins", new.atom_range(j1, j2))
        if tag != "equal":
            continue
        following = opcodes[n + 1][0] if n + 1 < len(opcodes) else None
        if following not in ("delete", "replace"):
            pieces += new_side("equal", new.atom_range(j1, j2))
            continue
        # Between an unchanged word and a deleted one the old text's spacing holds: "a, b" →
        # "a b" reads "a<del>,</del> b", the comma still against its word.
        last = new.units[j2 - 1]
        pieces += new_side("equal", range(new.atom_range(j1, j2).start, last + 1))
        pieces += old_side("equal", range(old.units[i2 - 1] + 1, old.atom_range(i2, i2).start))
    return pieces


class _Writer:
    """Writes pieces, opening and closing elements as the path changes and keeping each mark
    inside one element, so the result nests whatever was inserted or deleted."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.stack: tuple = ()
        self.mark: str | None = None
        self.pending: list[tuple[str, tuple]] = []  # whitespace after a mark, not yet placed
        self.inserted = self.deleted = 0
        self.opened: set = set()

    def _close_mark(self) -> None:
        if self.mark:
            self.parts.append(f"</{self.mark}>")
            self.mark = None
        for text, path in self.pending:
            self._move(path)
            self.parts.append(escape(text, quote=False))
        self.pending = []

    def _move(self, path: tuple) -> None:
        if path == self.stack:
            return
        common = 0
        while common < min(len(path), len(self.stack)) and path[common] == self.stack[common]:
            common += 1
        self.parts += [f"</{e.tag}>" for e in reversed(self.stack[common:])]
        for element in path[common:]:
            self.parts.append(element.start_tag(again=element in self.opened))
            self.opened.add(element)
        self.stack = path

    def write(self, state: str, atom: _Atom, path: tuple) -> None:
        if atom.kind == "space":
            if self.mark:
                self.pending.append((atom.text, path))
            else:
                self._move(path)
                self.parts.append(escape(atom.text, quote=False))
            return
        mark = None if state == "equal" or atom.kind == "void" else state
        if self.mark and path == self.stack:
            self._between(mark, atom.text)
        if self.mark and mark == self.mark and path == self.stack:
            # The space between two words of one mark goes inside it: one mark per passage.
            self.parts += [escape(text, quote=False) for text, _ in self.pending]
            self.pending = []
        if self.mark and (mark != self.mark or path != self.stack or self.pending):
            self._close_mark()
        self._move(path)
        if mark and not self.mark:
            self.parts.append(f"<{mark}>")
            self.mark = mark
        self.parts.append(atom.text if atom.kind == "void" else escape(atom.text, quote=False))
        if mark and _WORDLIKE.search(atom.text):
            if mark == "ins":
                self.inserted += 1
            else:
                self.deleted += 1

    def _between(self, mark: str | None, text: str) -> None:
        """The whitespace between a mark and the next word in the same element."""
        wordlike = bool(_WORDLIKE.match(text))
        if mark != self.mark and not wordlike:
            # Punctuation replaced in place: "rights<del>.</del><ins>;</ins>", no gap between.
            self.pending = []
        elif any(p != self.stack for _, p in self.pending):
            # The whitespace lay between blocks (after a deleted paragraph's end) but the next
            # word stays in this one: writing it there would split the block; a space will do.
            self.pending = [(" ", self.stack)]
        elif not self.pending and mark and mark != self.mark and wordlike:
            # "stays" → "changes" right before a full stop: keep the two words apart.
            previous = self.parts[-1] if self.parts else ""
            if _WORDLIKE.match(previous[-1:] or " "):
                self.pending = [(" ", self.stack)]

    def skip(self, count: int) -> None:
        self._close_mark()
        self._move(())
        noun = "passage" if count == 1 else "passages"
        self.parts.append(f'<p class="diff-skip">… {count} unchanged {noun} …</p>\n')

    def finish(self) -> str:
        self._close_mark()
        self._move(())
        return "".join(self.parts)


def _fold(pieces: list[_Piece], context: int) -> list[_Piece | _Skip]:
    """Shorten runs of unchanged top-level blocks longer than twice `context` to the `context`
    blocks on either side of a change and a ("skip", count, ()) marker."""
    groups = [
        (top, list(run))
        for top, run in itertools.groupby(pieces, key=lambda p: p[2][0] if p[2] else None)
    ]
    changed = [any(state != "equal" for state, _, _ in run) for _, run in groups]
    blocks = [i for i, (top, _) in enumerate(groups) if top is not None]
    folded: list[_Piece | _Skip] = []
    start = 0
    runs = []  # [first, last] indexes into `blocks` of unchanged runs
    for n, i in enumerate(blocks + [None]):
        if i is None or changed[i]:
            if n > start:
                runs.append((start, n - 1))
            start = n + 1
    drop: dict[int, int] = {}  # group index where a skipped stretch starts → blocks skipped
    skipped: set[int] = set()
    for first, last in runs:
        head = context if first > 0 else 0
        tail = context if last < len(blocks) - 1 else 0
        if last - first + 1 <= head + tail + 1:
            continue
        lo, hi = blocks[first + head], blocks[last - tail]
        drop[lo] = last - tail - (first + head) + 1
        skipped.update(range(lo, hi + 1))
    for i, (_, run) in enumerate(groups):
        if i in drop:
            folded.append(("skip", drop[i], ()))
        if i not in skipped:
            folded += run
    return folded


def _diff_html(old_html: str, new_html: str, context: int | None) -> DiffResult:
    old, new = _Side(_atoms(old_html)), _Side(_atoms(new_html))
    pieces = _pieces(old, new)
    shown: Sequence[_Piece | _Skip] = pieces if context is None else _fold(pieces, context)
    writer = _Writer()
    for state, atom, path in shown:
        if isinstance(atom, int):  # ("skip", count, ())
            writer.skip(atom)
        else:
            writer.write(state, atom, path)
    html = sanitize_diff(writer.finish())
    return DiffResult(Markup(html), writer.inserted, writer.deleted)  # noqa: S704 (sanitized)


def sanitize_diff(html: str) -> str:
    """The statement allowlist, plus the marks and the marker of skipped passages."""
    return nh3.clean(
        html,
        tags=TAGS | {"ins", "del"},
        attributes=ATTRIBUTES,
        allowed_classes={**CLASSES, "p": {"diff-skip"}},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer",
    )


def formatted_diff(
    old_body: str, new_body: str, context: int | None = None, lang: str = "en"
) -> DiffResult:
    """The change between two bodies (the dialect) as rendered, sanitized HTML with marks,
    set in the typography of ``lang`` as the statement page is.

    With ``context``, runs of unchanged top-level blocks longer than twice that are shortened
    to ``context`` blocks on either side of a change and a marker saying how many were left out.
    """
    render = lambda body: render_html(body or "", doc_id="diff", lang=lang)  # noqa: E731
    return _diff_html(render(old_body), render(new_body), context)


def formatted_revision_diff(old, new, context: int | None = None) -> RevisionDiff:
    """The formatted difference between two revisions (anything with ``title`` and ``body``;
    a revision's ``statement``, when it has one, gives the language)."""
    lang = getattr(getattr(new, "statement", None), "language", None) or "en"
    return RevisionDiff(
        title=_diff_html(escape(old.title or ""), escape(new.title or ""), None),
        body=formatted_diff(old.body, new.body, context=context, lang=lang),
    )
