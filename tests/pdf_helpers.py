"""Reading rendered PDFs back: footnote calls and notes per page, by font size."""

import io
import random
from pathlib import Path

import pdfplumber

MODEL = Path(__file__).resolve().parent.parent / "seeds" / "statements" / "gcm-2018-round-2.md"
BODY_SIZE = 11.0
CALL_SIZE = 7.5  # ::footnote-call in pdf.css
NOTE_SIZE = 8.5
MARKER_SIZE = NOTE_SIZE * 0.75  # ::footnote-marker


def _numbers(chars, size):
    """Runs of digits set at ``size``, as ints, in reading order."""
    runs, current, last = [], "", None
    for char in chars:
        if abs(char["size"] - size) < 0.2 and char["text"].isdigit():
            if current and last is not None and abs(char["x0"] - last["x1"]) < 1.5:
                current += char["text"]
            else:
                if current:
                    runs.append(int(current))
                current = char["text"]
            last = char
        elif current:
            runs.append(int(current))
            current, last = "", None
    if current:
        runs.append(int(current))
    return runs


def footnote_pages(pdf_bytes):
    """Per page: (calls, note markers, lowest body-text bottom, highest note-text top)."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            chars = page.chars
            body = [c for c in chars if abs(c["size"] - BODY_SIZE) < 0.2]
            notes = [c for c in chars if abs(c["size"] - NOTE_SIZE) < 0.2]
            pages.append(
                (
                    _numbers(chars, CALL_SIZE),
                    _numbers(chars, MARKER_SIZE),
                    max((c["bottom"] for c in body), default=0),
                    min((c["top"] for c in notes), default=None),
                )
            )
    return pages


def assert_footnotes_on_call_pages(pdf_bytes, expected_count):
    seen_calls, seen_markers = [], []
    for index, (calls, markers, body_bottom, note_top) in enumerate(footnote_pages(pdf_bytes)):
        assert sorted(calls) == sorted(markers), f"page {index + 1}: calls {calls}, notes {markers}"
        if markers:
            assert note_top > body_bottom, f"page {index + 1}: notes not below the body text"
        seen_calls += calls
        seen_markers += markers
    assert sorted(seen_calls) == list(range(1, expected_count + 1))


WORDS = [
    "migrants",
    "rights",
    "compact",
    "states",
    "civil",
    "society",
    "protection",
    "regular",
    "pathways",
    "labour",
    "implementation",
    "review",
    "commitments",
    "access",
    "services",
    "children",
    "families",
    "dignity",
    "firewall",
    "governance",
    "cooperation",
    "evidence",
    "capacity",
    "funding",
    "national",
    "regional",
    "global",
    "partners",
]


def generated_statement(seed, paragraphs=40, note_rate=0.6, notes_per_paragraph=1):
    """A long statement whose footnote calls end paragraphs of varied length, so calls fall
    anywhere on a page, often low; some notes are long."""
    rng = random.Random(seed)
    parts, notes, number = [], [], 0
    for index in range(paragraphs):
        words = [rng.choice(WORDS) for _ in range(rng.randint(15, 170))]
        if rng.random() < note_rate:
            # distinct words, from the second half on, so calls never touch each other
            spots = rng.sample(range(len(words) // 2, len(words)), notes_per_paragraph)
            for spot in sorted(spots):
                number += 1
                words[spot] += f"[^{number}]"
                note = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 60)))
                notes.append(f"[^{number}]: {note.capitalize()} https://example.org/n{number}.")
        text = " ".join(words).capitalize()
        if index % 9 == 4:
            parts.append(f"### Heading {index}")
        if index % 7 == 3:
            parts.append(f"- {text}.")
        else:
            parts.append(f"{text}.")
    return "\n\n".join(parts + notes) + "\n", number


ENTRY_SIZE = 9.5  # .signatory-list in pdf.css


def signatory_entries(pdf_bytes):
    """The signatory list as printed: ``(page index, "Name (Country)")`` in reading order — down
    the left column, then down the right, page by page. Columns are told apart by x position; a
    line indented past its column's edge continues the entry above (the hanging indent)."""
    entries = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for index, page in enumerate(pdf.pages):
            words = [
                w
                for w in page.extract_words(extra_attrs=["size"], keep_blank_chars=False)
                if abs(w["size"] - ENTRY_SIZE) < 0.2
            ]
            middle = page.width / 2
            for column in (
                [w for w in words if w["x0"] < middle],
                [w for w in words if w["x0"] >= middle],
            ):
                lines = {}
                for word in column:
                    lines.setdefault(round(word["top"]), []).append(word)
                if not lines:
                    continue
                edge = min(w["x0"] for w in column)
                for top in sorted(lines):
                    line = sorted(lines[top], key=lambda w: w["x0"])
                    text = " ".join(w["text"] for w in line)
                    if line[0]["x0"] > edge + 3 and entries and entries[-1][0] == index:
                        entries[-1] = (index, f"{entries[-1][1]} {text}")
                    else:
                        entries.append((index, text))
    return entries


def page_of(pdf_bytes, text):
    """Index of the first page whose text contains ``text``."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return next(i for i, page in enumerate(pdf.pages) if text in (page.extract_text() or ""))
