"""The dialect → sanitized HTML. See the package docstring for the HTML shape."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .typography import punctuation_rule, quotes_rule

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")

TAGS = {
    "a", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "section", "span", "strong", "sup", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "id"},
    "li": {"id", "dir"},
    "span": {"id"},
    "ol": {"start"},
    "h2": {"id", "dir"},
    **{tag: {"dir"} for tag in ("p", "h1", "h3", "h4", "h5", "h6", "blockquote")},
}
CLASSES = {
    "div": {"closing"},
    "sup": {"footnote-ref"},
    "span": {"footnote"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "a": {"footnote-backref"},
}


def _allowed_link(url: str) -> bool:
    # Relative links would point into the portal or, in the PDF, at the renderer's file system.
    match = _SCHEME.match(url.strip())
    return match is not None and match.group(1).lower() in ALLOWED_SCHEMES


def _drop_bad_links(state) -> None:
    """Keep the words of a link whose target is not allowed, lose the link itself (markdown-it's
    own refusal would print the raw ``[text](url)`` syntax instead)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        kept, dropping = [], 0
        for token in block.children:
            if token.type == "link_open" and not _allowed_link(token.attrGet("href") or ""):
                dropping += 1
                continue
            if token.type == "link_close" and dropping:
                dropping -= 1
                continue
            kept.append(token)
        block.children = kept


def _render_image(self, tokens, idx, options, env):
    # Images are never fetched: a remote image would let a statement make the renderer call out.
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return html.escape(alt) if alt else ""


def _footnote_ref(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    number = meta["id"] + 1
    ident = _anchor(env, number)
    inline = env.get("_inline_footnotes")
    if inline is not None and meta.get("subId", 0) == 0:
        return f'<span class="footnote" id="fn{ident}">{inline.get(meta["id"], "")}</span>'
    ref_id = f"fnref{ident}" + (f"-{meta['subId']}" if meta.get("subId", 0) > 0 else "")
    return f'<sup class="footnote-ref"><a href="#fn{ident}" id="{ref_id}">{number}</a></sup>'


def _footnote_anchor(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    if meta.get("subId", 0) > 0:
        return ""
    ident = _anchor(env, meta["id"] + 1)
    return f' <a href="#fnref{ident}" class="footnote-backref">\u21a9\ufe0e</a>'


def _anchor(env, number: int) -> str:
    doc_id = env.get("docId")
    return f"-{doc_id}-{number}" if doc_id else str(number)


def _block_open(self, tokens, idx, options, env):
    return '<section class="footnotes">\n<ol class="footnotes-list">\n'


class _Parser(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return True  # judged after parsing, by _drop_bad_links


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = _Parser("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["linkify"])
    md.use(front_matter_plugin).use(footnote_plugin, inline=False)
    md.use(container_plugin, name="closing")
    md.core.ruler.push("drop_bad_links", _drop_bad_links)
    md.core.ruler.before("text_join", "locale_quotes", quotes_rule)
    md.core.ruler.push("locale_punctuation", punctuation_rule)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    md.add_render_rule("footnote_block_open", _block_open)
    # linkify finds "www.x.org" too; give those an explicit scheme so the allowlist keeps them.
    assert md.linkify is not None, "linkify-it-py is a dependency"
    md.linkify.set({"fuzzy_email": False})
    return md


def render_html(
    body: str, *, footnotes: str = "end", doc_id: str | None = None, lang: str = "en"
) -> str:
    """The dialect → sanitized HTML fragment (footnotes "end" for the web, "inline" for print),
    set in the typography of ``lang`` (portal.text.typography)."""
    if footnotes not in ("end", "inline"):
        raise ValueError("footnotes must be 'end' or 'inline'")
    return _rendered(body, footnotes, doc_id, lang)


# Revisions never change, and one is shown again and again (the statement page, the published
# page, the API): a few dozen rendered texts per process spare a parse and a sanitize per view
# (about 40 ms for a five-page statement). Keyed by the text itself (and its language, which sets
# its typography), so an edit is a new entry.
@lru_cache(maxsize=48)
def _rendered(body: str, footnotes: str, doc_id: str | None, lang: str) -> str:
    md = _parser()
    env: dict = {"lang": lang or "en"}
    if doc_id:
        env["docId"] = doc_id
    tokens = md.parse(body, env)
    if footnotes == "inline":
        tokens, env["_inline_footnotes"] = _take_footnotes(md, tokens, env)
    raw = md.renderer.render(tokens, md.options, env)
    return sanitize(raw)


def _take_footnotes(md: MarkdownIt, tokens, env):
    """Cut the footnote section out of the token stream; render each note as inline HTML."""
    try:
        start = next(i for i, t in enumerate(tokens) if t.type == "footnote_block_open")
    except StopIteration:
        return tokens, {}
    notes: dict[int, str] = {}
    current: list = []
    note_id = -1  # each footnote_close follows its footnote_open
    for token in tokens[start + 1 :]:
        if token.type == "footnote_open":
            note_id, current = token.meta["id"], []
        elif token.type == "footnote_close":
            notes[note_id] = _inline_note(md.renderer.render(current, md.options, env))
        elif token.type != "footnote_anchor":
            current.append(token)
    return tokens[:start], notes


_BLOCK_TAGS = re.compile(r"</?(?:p|ul|ol|li|blockquote|pre|h[1-6]|div|hr)\b[^>]*>")


def _inline_note(fragment: str) -> str:
    # A footnote floats from inside a paragraph, so it may only hold inline content.
    parts = [p.strip() for p in _BLOCK_TAGS.split(fragment)]
    return "<br>".join(p for p in parts if p)


def sanitize(raw: str) -> str:
    return nh3.clean(
        raw,
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer",
    )


_TAG = re.compile(r"<[^>]+>")


def plain_text(body: str) -> str:
    """The words of the rendered statement (footnotes included), without markup."""
    fragment = render_html(body)
    fragment = re.sub(r'<a [^>]*class="footnote-backref"[^>]*>.*?</a>', " ", fragment)
    fragment = re.sub(r'<sup class="footnote-ref">.*?</sup>', "", fragment)
    return html.unescape(_TAG.sub(" ", fragment))
