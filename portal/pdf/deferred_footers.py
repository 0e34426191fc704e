"""Footers that name the book's page count ("Page X of Y"), painted once the count is known
(portal/pdf/book.py): a footer's text is written in, its position is kept.

Footers of the same page style differ only in their text, so one laid-out footer is kept per
page style (its boxes and computed styles) and, for every page, only its text: each page's
footer boxes, kept until the end, came to about 0.02 MiB a page (9 MiB for the 450 statement
pages of a compendium of 50 statements). The footer's text is centred where its page's text
was: the laid-out footer's line is centred on the same point on every page of a style,
whatever the page number's width.
"""

from __future__ import annotations

from collections.abc import Callable

from weasyprint.draw import draw_stacking_context
from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.stacking import StackingContext
from weasyprint.text.line_break import create_layout, line_size

# What a footer looks like apart from its text: the same page style in every part of a book
# (the parts share their stylesheet), so the same fonts, colour and place on the page.
_STYLE_KEYS = (
    "font_family",
    "font_size",
    "font_weight",
    "font_style",
    "font_stretch",
    "font_variant_caps",
    "letter_spacing",
    "color",
    "text_decoration_line",
    "visibility",
    "lang",
)


class _Layout:
    """One page style's footer, laid out; each page's text is written into it in turn."""

    def __init__(self, margin_box, page_box, texts: list[TextBox]):
        self.margin_box, self.page_box = margin_box, page_box.copy_with_children([])
        self.texts = texts
        boxes = [margin_box, *margin_box.descendants()]
        # Each text's centre, and the boxes wrapped around it (a footer's margin box and line
        # are as wide as their text): they move and resize with the text.
        self.centres = [text.position_x + text.width / 2 for text in texts]
        self.wrapping = [
            [
                box
                for box in boxes
                if abs(box.position_x - text.position_x) < 1e-6
                and abs(box.width - text.width) < 1e-6
            ]
            for text in texts
        ]

    def write(self, texts: tuple[str, ...]) -> None:
        for box, centre, wrapping, text in zip(
            self.texts, self.centres, self.wrapping, texts, strict=True
        ):
            measured = create_layout(text, box.style, None, None, 0)
            width, _ = line_size(measured.get_first_line()[0], box.style)
            for wrapper in wrapping:
                wrapper.position_x, wrapper.width = centre - width / 2, width
            box.text = box.pango_layout.text = text


class DeferredFooters:
    def __init__(self, find: Callable, mark: str, replacement: Callable[[int], str]):
        """`find(page_box)` returns the footer's margin box, or None; its texts hold `mark`,
        replaced by `replacement(total)` once the page count is known."""
        self.find, self.mark, self.replacement = find, mark, replacement
        self.layouts: list[_Layout] = []
        self._by_style: dict[tuple, int] = {}

    def detach(self, page_box) -> tuple[int, tuple[str, ...]] | None:
        """Take the footer off the page (it is painted by `paint`); return what `paint` needs:
        the page style's footer and the page's texts."""
        margin_box = self.find(page_box)
        if margin_box is None:
            return None
        page_box.children = [child for child in page_box.children if child is not margin_box]
        texts = [
            box
            for box in margin_box.descendants()
            if isinstance(box, TextBox) and self.mark in box.text
        ]
        style = _style(page_box, margin_box, texts)
        number = self._by_style.get(style)
        if number is None:
            number = self._by_style[style] = len(self.layouts)
            self.layouts.append(_Layout(margin_box, page_box, texts))
        return number, tuple(box.text for box in texts)

    def paint(self, group, kept: tuple[int, tuple[str, ...]], total: int) -> None:
        """Paint a page's footer, its mark replaced, into `group` (a form XObject)."""
        number, texts = kept
        layout = self.layouts[number]
        of_total = self.replacement(total)
        layout.write(tuple(text.replace(self.mark, of_total) for text in texts))
        draw_stacking_context(group, StackingContext.from_box(layout.margin_box, layout.page_box))


def _style(page_box, margin_box, texts: list[TextBox]) -> tuple:
    """What a footer looks like but for its text: the page, the boxes' places (a box wrapped
    around a text by its centre only) and the texts' fonts."""
    page_type = page_box.page_type
    key: list = [
        page_type.name,
        page_box.margin_width(),
        page_box.margin_height(),
        page_box.style["overflow"],
    ]
    centres = {(text.position_x, text.width) for text in texts}
    for box in (margin_box, *margin_box.descendants()):
        if (box.position_x, box.width) in centres:
            horizontal = ("centred", box.position_x + box.width / 2)
        else:
            horizontal = (box.position_x, box.width)
        key.append((type(box).__name__, horizontal, box.position_y, box.height))
    for text in texts:
        key.append(tuple(str(text.style[name]) for name in _STYLE_KEYS))
    return tuple(key)
