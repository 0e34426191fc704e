"""Reading a PDF's fonts back: is every glyph drawn from a font embedded in the file, and none
of them .notdef?

WeasyPrint draws a character no font covers as .notdef: it gives the character a glyph id past
the end of the font and replaces the font's Identity-H encoding with a CMap sending that id to
glyph 0. So a PDF has no .notdef when every font is embedded, keeps Identity-H, and maps
(ToUnicode) only glyph ids between 1 and the embedded font's glyph count.
"""

import io
import re
from dataclasses import dataclass, field

import pdfplumber
from fontTools.ttLib import TTFont
from pypdf import PdfReader

_BFCHAR = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


@dataclass
class FontUse:
    name: str
    encoding: str
    embedded: bool
    glyph_count: int
    # glyph id -> the text it stands for (ToUnicode)
    glyphs: dict[int, str] = field(default_factory=dict)

    @property
    def characters(self) -> set[str]:
        return {char for text in self.glyphs.values() for char in text}


def _fonts(resources, seen):
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if id(xobject) not in seen and "/Resources" in xobject:
            seen.add(id(xobject))
            yield from _fonts(xobject["/Resources"], seen)


def _to_unicode(font) -> dict[int, str]:
    glyphs = {}
    stream = font.get("/ToUnicode")
    if stream is None:
        return glyphs
    text = stream.get_object().get_data().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in _BFCHAR.findall(block):
            glyphs[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for first, last, start in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            base = int(start, 16)
            for offset, gid in enumerate(range(int(first, 16), int(last, 16) + 1)):
                glyphs[gid] = chr(base + offset)
    return glyphs


def _program(descendant):
    descriptor = descendant["/FontDescriptor"].get_object()
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            return descriptor[key].get_object().get_data()
    return None


def font_uses(pdf_bytes) -> dict[str, FontUse]:
    """Every font the PDF draws with, by base name (``Noto-Naskh-Arabic``)."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    uses: dict[str, FontUse] = {}
    seen: set = set()
    for page in reader.pages:
        for font in _fonts(page.get("/Resources"), seen):
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            descendant = font["/DescendantFonts"][0].get_object()
            program = _program(descendant)
            count = TTFont(io.BytesIO(program), lazy=True)["maxp"].numGlyphs if program else 0
            use = uses.setdefault(
                name, FontUse(name, str(font.get("/Encoding")), program is not None, count)
            )
            use.glyphs.update(_to_unicode(font))
    return uses


def glyph_problems(pdf_bytes) -> list[str]:
    """What would print as .notdef or come from outside the file; empty when all is covered."""
    problems = []
    for use in font_uses(pdf_bytes).values():
        if not use.embedded:
            problems.append(f"{use.name}: not embedded")
        if use.encoding != "/Identity-H":
            problems.append(f"{use.name}: not Identity-H (WeasyPrint's CMap for .notdef glyphs)")
        for gid, text in sorted(use.glyphs.items()):
            if not 0 < gid < use.glyph_count:
                problems.append(f"{use.name}: {text!r} drawn as glyph {gid} of {use.glyph_count}")
    return problems


def fonts_of(pdf_bytes, text: str) -> set[str]:
    """The fonts (base names) of the characters of ``text`` found on the pages."""
    wanted = set(text) - {" "}
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return {
            c["fontname"].split("+", 1)[-1]
            for page in pdf.pages
            for c in page.chars
            if c["text"] in wanted
        }
