"""The signatory list cut into page-sized blocks of two columns, each read down the left column
and then down the right.

WeasyPrint cannot be asked where a page will end, and a two-column table cut by a page break
reads out of order (the left column's top, the right column's top, then both bottoms on the next
page). So each block is sized here, from the font's own advance widths, to fit on one page with
room to spare, and the stylesheet keeps a block whole (``break-inside: avoid``). A block is a
one-row fixed-layout table whose two cells hold the entries as plain paragraphs
"Name (Country)": measured, that lays 2,000 names out at about 1.3x the time per page of the
statement text, where CSS columns cost 1.7x, a table row per pair of names 3.8x, and a styled
``<span>`` for the country alone 2x (bench/bench_pdf.py).
"""

from __future__ import annotations

import logging
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTFont

from ..config import ROOT

FONT = ROOT / "static" / "fonts" / "Carlito-Regular.ttf"
# Geometry, mirrored from static/css/pdf.css (.signatory-* rules and @page margin).
PAGE_POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
MARGIN = 72.0  # 2.54cm
FONT_SIZE = 9.5
LINE = FONT_SIZE * 1.2
ENTRY_GAP = 2.0  # margin below each entry
GROUP_GAP = 4.0  # margin above a group heading
COLUMN_GAP = 18.0  # padding-right of the left cell
INDENT = FONT_SIZE  # hanging indent of an entry's second and later lines (1em)
HEADING = 13.0 * 1.25 + 8.0  # the "Signed by" heading and its margin
# The breakdown under the heading ("… from M countries, K in ECOSOC status"): up to two lines.
BREAKDOWN = 2 * 9.0 * 1.25 + 6.0
NOTE = 3 * 9.0 * 1.25 + 8.0  # room for the signatory note (up to three lines)
# What the estimate may be off by (kerning, ligatures, a page's top margin after a break):
# a block that overflows its page would be split and read out of order, one that underfills
# only leaves white space.
WIDTH_SAFETY = 0.95
HEIGHT_SAFETY = 0.92


@dataclass
class GroupHeading:
    """A small heading before a group of the list (a country, a region) when it is grouped."""

    text: str
    heading: bool = True


@dataclass
class Block:
    """One page's worth (or less) of the list: ``left`` then ``right``, in reading order."""

    left: list
    right: list
    first: bool = False
    last: bool = False


@lru_cache(maxsize=1)
def _advances() -> tuple[dict[str, float], float]:
    # Carlito's head table has a zero creation date, which fontTools warns about.
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
    font = TTFont(str(FONT), lazy=True)
    scale = 1.0 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {chr(code): metrics[glyph][0] * scale for code, glyph in font.getBestCmap().items()}
    return widths, widths.get("n", 0.5)


def _text_width(text: str) -> float:
    widths, fallback = _advances()
    return sum(_char_width(char, widths, fallback) for char in text) * FONT_SIZE


def _char_width(char: str, widths: dict[str, float], fallback: float) -> float:
    width = widths.get(char)
    if width is not None:
        return width
    # Set in another font (pdf.css): a Chinese character is a full em wide.
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else fallback


def line_count(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` points wide (greedy wrap at spaces, as Pango
    does for Latin text), the first line full width and the others indented."""
    space = _text_width(" ")
    lines, used, available = 1, 0.0, width
    for word in text.split():
        word_width = _text_width(word)
        needed = word_width if used == 0 else used + space + word_width
        if needed <= available:
            used = needed
            continue
        if used:
            lines += 1
            available = width - INDENT
        # a word wider than the column is broken by the renderer (overflow-wrap)
        extra = max(0, math.ceil(word_width / available) - 1)
        lines += extra
        used = word_width - extra * available
    return lines


def entry_text(signatory) -> str:
    """ "Name (Country)", "Name (Region)" or "Name (International)"; a heading's own text."""
    if isinstance(signatory, GroupHeading):
        return signatory.text
    text = signatory.name
    if signatory.place and signatory.show_place:
        text += f" ({signatory.place})"
    if signatory.note:
        text += f" ({signatory.note})"
    return text


def _split_balanced(heights: list[float]) -> int:
    """How many entries go to the left column: the fewest that make it at least as tall as the
    right one (the left column is the longer, as in a balanced column layout)."""
    total, running = sum(heights), 0.0
    for index, height in enumerate(heights):
        if running >= total - running:
            return index
        running += height
    return len(heights)


def blocks(
    signatories: list, paper: str, *, note: bool = False, breakdown: bool = False
) -> list[Block]:
    """``signatories`` (sorted) in page-sized two-column blocks; the heading goes in the first
    block, the note (when there is one) in the last, so neither is left alone on a page."""
    page_width, page_height = PAGE_POINTS.get(paper, PAGE_POINTS["a4"])
    column = (page_width - 2 * MARGIN - COLUMN_GAP) / 2 * WIDTH_SAFETY
    capacity = (page_height - 2 * MARGIN) * HEIGHT_SAFETY
    heights = [
        line_count(entry_text(s), column) * LINE
        + ENTRY_GAP
        + (GROUP_GAP if isinstance(s, GroupHeading) else 0)
        for s in signatories
    ]
    result: list[Block] = []
    start = 0
    while start < len(signatories) or not result:
        room = capacity - ((HEADING + (BREAKDOWN if breakdown else 0)) if not result else 0)
        remaining = heights[start:]
        if sum(remaining) <= 2 * (room - (NOTE if note else 0)) and _fits_balanced(
            remaining, room - (NOTE if note else 0)
        ):
            split = start + _split_balanced(remaining)
            end = len(signatories)
        else:
            split = _fill(heights, start, room)
            end = _fill(heights, split, room)
        result.append(Block(signatories[start:split], signatories[split:end], first=not result))
        start = end
    result[-1].last = True
    return result


def _fits_balanced(heights: list[float], room: float) -> bool:
    split = _split_balanced(heights)
    return sum(heights[:split]) <= room and sum(heights[split:]) <= room


def _fill(heights: list[float], start: int, room: float) -> int:
    """The end of a column starting at ``start`` filled up to ``room`` (at least one entry)."""
    used, end = 0.0, start
    while end < len(heights) and (used + heights[end] <= room or end == start):
        used += heights[end]
        end += 1
    return end
