"""The formatted diff signatories read: marks inside headings, lists, footnotes and the closing
block; punctuation apart from words; sanitized output; the same speed as the source diff."""

import random
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from portal.text import render_html
from portal.text.formatted_diff import formatted_diff, formatted_revision_diff, sanitize_diff

TOKENS = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]")


def html(old: str, new: str, **kwargs) -> str:
    return str(formatted_diff(old, new, **kwargs).html)


def reading(fragment: str, drop: str) -> list[str]:
    """The words and marks a reader gets after removing one kind of mark (with its content)."""
    fragment = re.sub(rf"<{drop}>.*?</{drop}>", "", fragment, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", fragment)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return TOKENS.findall(text)


def test_changed_words_are_marked_in_the_paragraph():
    assert html("Migrants have rights.", "Migrants have equal rights.") == (
        "<p>Migrants have <ins>equal</ins> rights.</p>\n"
    )
    assert html("States should act.", "States must act.") == (
        "<p>States <del>should</del> <ins>must</ins> act.</p>\n"
    )
    result = formatted_diff("States should act.", "States must act now.")
    assert (result.inserted, result.deleted) == (2, 1) and result.changed


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("human rights.", "human rights;", "<p>human rights<del>.</del><ins>;</ins></p>"),
        ("rights. More", "rights; More", "<p>rights<del>.</del><ins>;</ins> More</p>"),
        ("a, b", "a b", "<p>a<del>,</del> b</p>"),
        ("a b", "a, b", "<p>a<ins>,</ins> b</p>"),
        ("(see annex)", "(see the annex)", "<p>(see <ins>the</ins> annex)</p>"),
        ("report of 2017.", "report of 2018.", "<p>report of <del>2017</del> <ins>2018</ins>.</p>"),
    ],
)
def test_punctuation_does_not_mark_the_word_it_touches(old, new, expected):
    assert html(old, new).strip() == expected


def test_headings_keep_their_level_and_marks_stay_inside():
    old = "## Our asks\n\n### Pathways\n\nText."
    out = html(old, "## Our three asks\n\n### Safe Pathways\n\nText.")
    assert "<h2>Our <ins>three</ins> asks</h2>" in out
    assert "<h3><ins>Safe</ins> Pathways</h3>" in out
    # A paragraph made a heading shows as such: the reader sees the structure changed.
    out = html("Intro.\n\nOur asks", "Intro.\n\n## Our asks")
    assert "<p><del>Our asks</del></p>" in out and "<h2><ins>Our asks</ins></h2>" in out
    assert "##" not in out


def test_list_items_deleted_inserted_and_changed_stay_in_the_list():
    old = "- Regular pathways for all.\n- An end to child detention.\n- Firewalls.\n"
    new = "- Regular pathways for all migrants.\n- Firewalls.\n- Access to justice.\n"
    out = html(old, new)
    assert out.count("<ul>") == 1 and out.count("</ul>") == 1
    assert "<li>Regular pathways for all <ins>migrants</ins>.</li>" in out
    assert "<li><del>An end to child detention.</del></li>" in out
    assert "<li><ins>Access to justice.</ins></li>" in out
    assert "- " not in out


def test_footnotes_are_compared_inside_the_footnote_and_ids_stay_unique():
    old = "Text[^1].\n\n[^1]: See the report of 2017.\n"
    new = "Text[^1] and more[^2].\n\n[^1]: See the report of 2018.\n[^2]: A new note.\n"
    out = html(old, new)
    notes = out[out.index('<section class="footnotes">') :]
    assert "report of <del>2017</del> <ins>2018</ins>." in notes
    assert "<ins>A new note.</ins>" in notes
    assert '<sup class="footnote-ref">' in out and "[^" not in out
    ids = re.findall(r'\sid="([^"]+)"', out)
    assert len(ids) == len(set(ids)) and ids


def test_a_deleted_footnote_keeps_no_id_or_in_page_link():
    out = html("A[^1] B[^2].\n\n[^1]: One.\n[^2]: Two.\n", "A[^1] B.\n\n[^1]: One.\n")
    assert "<del>Two.</del>" in out
    ids = re.findall(r'\sid="([^"]+)"', out)
    assert len(ids) == len(set(ids))


def test_the_closing_block_and_links():
    old = "::: closing\nNothing about us without us.\n:::\n"
    new = "::: closing\nNothing about us, without us!\n:::\n"
    out = html(old, new)
    assert '<div class="closing">' in out
    assert "us<ins>,</ins> without us<del>.</del><ins>!</ins>" in out
    out = html("See [the report](https://a.example/1).", "See [the report](https://b.example/2).")
    # A new link target is a change even when the words are the same.
    assert '<a href="https://b.example/2"' in out and "<ins>the report</ins>" in out


def test_output_is_sanitized():
    new = "a <img src=x onerror=alert(1)> <b>b</b> [x](javascript:alert(1))"
    out = html("a <script>x</script> b", new)
    assert "img src=x onerror=alert(1)&gt;" in out  # shown as the words typed, inert
    assert "javascript:" not in out
    assert sanitize_diff(out) == out  # already within the allowlist: cleaning changes nothing
    assert not re.search(r"<(?!/?(p|ins|del|a)\b)", out)


class _Nesting(HTMLParser):
    """Fails on a closing tag that does not match the open one: marks must nest."""

    def __init__(self):
        super().__init__()
        self.stack = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, tag


def _random_text(rng: random.Random) -> str:
    words = ["migrants", "rights", "states", "must", "ensure", "access", "justice", "safe", "all"]
    blocks = []
    for _ in range(rng.randint(3, 8)):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(2, 8)))
        sentence += rng.choice([".", ",", ";", "!", ""])
        kind = rng.choice(["p", "h2", "h3", "li", "li", "fn", "em"])
        blocks.append(
            {
                "p": sentence,
                "h2": f"## {sentence}",
                "h3": f"### {sentence}",
                "li": f"- {sentence}",
                "fn": f"{sentence}[^{rng.randint(1, 3)}]",
                "em": f"*{sentence}* and {sentence}",
            }[kind]
        )
    notes = "\n".join(f"[^{n}]: Note {n} {rng.choice(words)}." for n in range(1, 4))
    return "\n\n".join(blocks) + "\n\n" + notes + "\n"


def test_removing_either_kind_of_mark_gives_back_each_text_and_nesting_holds():
    rng = random.Random(13)
    for _ in range(150):
        old, new = _random_text(rng), _random_text(rng)
        if rng.random() < 0.5:  # and small edits of one text, the usual case
            new = old.replace(rng.choice(["rights", "safe", "."]), rng.choice(["duties", ";", ""]))
        out = html(old, new)
        assert reading(out, "del") == reading(render_html(new, doc_id="diff"), "del")
        assert reading(out, "ins") == reading(render_html(old, doc_id="diff"), "ins")
        checker = _Nesting()
        checker.feed(out)
        assert checker.stack == []
        ids = re.findall(r'\sid="([^"]+)"', out)
        assert len(ids) == len(set(ids)), ids


def test_context_folds_long_unchanged_stretches():
    paragraphs = [f"Paragraph {n} stays." for n in range(40)]
    old = "\n\n".join(paragraphs)
    paragraphs[20] = "Paragraph 20 changes."
    new = "\n\n".join(paragraphs)
    full = html(old, new)
    short = html(old, new, context=2)
    assert "Paragraph 0 stays." in full and "Paragraph 0 stays." not in short
    assert '<p class="diff-skip">… 18 unchanged passages …</p>' in short
    assert '<p class="diff-skip">… 17 unchanged passages …</p>' in short
    assert "Paragraph 18 stays." in short and "Paragraph 22 stays." in short
    assert "Paragraph 20 <del>stays</del> <ins>changes</ins>." in short


def test_revision_diff_covers_the_title_as_plain_text():
    old = SimpleNamespace(title="A <joint> statement", body="Body.\n")
    new = SimpleNamespace(title="A <joint> statement, revised", body="Body.\n")
    result = formatted_revision_diff(old, new)
    assert str(result.title.html) == "A &lt;joint&gt; statement<ins>, revised</ins>"
    assert result.changed and not result.body.changed and result.inserted == 1


def test_unchanged_text_is_no_change():
    body = "## A\n\nText[^1].\n\n- one\n\n[^1]: Note.\n"
    result = formatted_diff(body, body)
    assert not result.changed and "<ins>" not in str(result.html)


def _long_text(words: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = [f"word{n}" for n in range(3000)] + ["the", "of", "and", "migrants"] * 200
    blocks = []
    for n in range(words // 100):
        sentence = " ".join(rng.choice(vocabulary) for _ in range(100)) + "."
        blocks.append(f"## {sentence[:40]}" if n % 10 == 0 else sentence)
    return "\n\n".join(blocks)


def test_5000_words_with_scattered_edits_mark_every_edit():
    """Correctness only: its time is printed by `make bench` (bench/bench_drafting.py)."""
    old = _long_text(5000, 1)
    tokens = old.split(" ")
    rng = random.Random(2)
    edited = set()
    for _ in range(150):
        edited.add(rng.randrange(len(tokens)))
    for position in edited:
        tokens[position] = "edited"
    result = formatted_diff(old, " ".join(tokens), context=3)
    assert result.inserted == len(edited)
    assert str(result.html).count("edited") == len(edited)
