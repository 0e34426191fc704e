"""The word-level diff: marks, escaping, footnotes, context (its speed: `make bench`)."""

import random
import re
from types import SimpleNamespace

from portal.text.diff import revision_diff, word_diff


def _strip(html: str, drop: str) -> str:
    """The text a reader gets after removing one kind of mark (and its content)."""
    html = re.sub(rf"<{drop}>.*?</{drop}>", "", html, flags=re.S)
    html = re.sub(r"</?(ins|del)>", "", html)
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_changed_words_are_marked():
    result = word_diff("Migrants have rights.", "Migrants have equal rights.")
    assert str(result.html) == "Migrants have <ins>equal</ins> rights."
    assert (result.inserted, result.deleted) == (1, 0)
    replaced = word_diff("States should act.", "States must act.")
    assert str(replaced.html) == "States <del>should</del> <ins>must</ins> act."


def test_footnotes_are_compared():
    old = "Text[^1].\n\n[^1]: See the report of 2017.\n"
    new = "Text[^1].\n\n[^1]: See the report of 2018, <https://example.org>.\n"
    html = str(word_diff(old, new).html)
    assert "<del>2017.</del>" in html and "<ins>2018, &lt;https://example.org&gt;.</ins>" in html


def test_html_in_the_text_is_escaped():
    html = str(word_diff("a <script>", "a <script>alert(1)</script>").html)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_reflowing_lines_is_not_a_change():
    old = "one two three\nfour five\n"
    new = "one two\nthree four five\n"
    assert not word_diff(old, new).changed


def test_removing_either_kind_of_mark_gives_back_each_text():
    rng = random.Random(4)
    words = [
        "migrants",
        "rights",
        "states",
        "must",
        "ensure",
        "access",
        "to",
        "justice",
        "safe",
        "regular",
    ]
    for _ in range(30):
        old = " ".join(rng.choice(words) for _ in range(40))
        tokens = old.split()
        for _ in range(6):
            tokens.insert(rng.randrange(len(tokens)), rng.choice(["new", "text"]))
            tokens.pop(rng.randrange(len(tokens)))
        new = " ".join(tokens)
        html = str(word_diff(old, new).html)
        assert _strip(html, "del").split() == new.split()
        assert _strip(html, "ins").split() == old.split()


def test_context_collapses_long_unchanged_stretches():
    paragraphs = [f"Paragraph {n} stays." for n in range(40)]
    old = "\n\n".join(paragraphs)
    paragraphs[20] = "Paragraph 20 changes."
    new = "\n\n".join(paragraphs)
    full = str(word_diff(old, new).html)
    short = str(word_diff(old, new, context=2).html)
    assert "Paragraph 0 stays." in full and "Paragraph 0 stays." not in short
    assert "unchanged lines" in short and "<ins>changes.</ins>" in short
    assert "Paragraph 19 stays." in short


def test_revision_diff_covers_the_title():
    old = SimpleNamespace(title="A statement", body="Body.\n")
    new = SimpleNamespace(title="A joint statement", body="Body.\n")
    result = revision_diff(old, new)
    assert result.changed and result.title.changed and not result.body.changed
    assert result.inserted == 1


def _text(words: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = [f"word{n}" for n in range(3000)] + ["the", "of", "and", "migrants"] * 200
    paragraphs = []
    for _ in range(words // 100):
        paragraphs.append(" ".join(rng.choice(vocabulary) for _ in range(100)))
    return "\n\n".join(paragraphs)


def test_5000_word_diff_marks_the_scattered_edits():
    """Its speed is measured by the bench (bench/bench_drafting.py), not asserted here."""
    old = _text(5000, 1)
    tokens = old.split(" ")
    rng = random.Random(2)
    for _ in range(150):
        tokens[rng.randrange(len(tokens))] = "edited"
    new = " ".join(tokens)
    result = word_diff(old, new)
    assert result.changed and result.inserted and result.deleted
    html = str(result.html)
    assert _strip(html, "del").split() == new.split()
    assert _strip(html, "ins").split() == old.split()
