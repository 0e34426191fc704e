"""The languages the renderer sets type for: quotation marks, spacing, footnote calls, direction.

A statement's language is a BCP 47 tag (``fr``, ``fr-CA``, ``es-419``, ``zh-Hans``); only its
primary subtag chooses the rules. Languages outside :data:`LANGUAGES` are still rendered (the
portal stores whatever code a drafter chose), as typed: no quotation marks or footnote calls
moved, left to right unless the code names a right-to-left language. ``portal render`` accepts
only the languages of the table (see :func:`parse_language`).

The rules and their sources are written up for drafters in docs/writing.md ("Languages and
typography").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext

BEFORE, AFTER = "before", "after"


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    # Four characters or strings: first-level open and close, second-level open and close, as
    # markdown-it's smartquotes takes them; None leaves straight quotes as typed.
    quotes: tuple[str, str, str, str] | None = None
    # Where the footnote call stands relative to . , ; : — None leaves it where it was typed.
    footnote_call: str | None = None
    french_spacing: bool = False
    rtl: bool = False

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


# Second-level quotes: English “ ‘; French (Imprimerie nationale) « then “; Spanish “ then ‘ as
# the UN's Spanish translation service writes them (the RAE prefers « » first; UN texts use
# “ ”); Russian « then „ “ (Mil'chin); Arabic and Persian « then ‹ — both pairs are mirrored by
# the bidi algorithm, so the opening mark is right in right-to-left text.
LANGUAGES = {
    language.code: language
    for language in (
        Language("en", "English", ("\u201c", "\u201d", "\u2018", "\u2019"), AFTER),
        Language("fr", "French", ("«", "»", "\u201c", "\u201d"), BEFORE, french_spacing=True),
        Language("es", "Spanish", ("\u201c", "\u201d", "\u2018", "\u2019"), BEFORE),
        Language("ru", "Russian", ("«", "»", "\u201e", "\u201c"), BEFORE),
        Language("zh", "Chinese"),
        Language("ar", "Arabic", ("«", "»", "\u2039", "\u203a"), rtl=True),
        Language("fa", "Persian", ("«", "»", "\u2039", "\u203a"), rtl=True),
        Language("he", "Hebrew", rtl=True),
        Language("ur", "Urdu", rtl=True),
    )
}
RTL_CODES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "syr"})
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


class UnknownLanguage(ValueError):
    pass


def primary(code: str | None) -> str:
    match = _TAG.match((code or "").strip())
    return match.group(1).lower() if match else ""


def language(code: str | None) -> Language:
    """The rules for ``code``; a language outside the table gets "as typed" rules."""
    subtag = primary(code) or "en"
    known = LANGUAGES.get(subtag)
    if known is not None:
        return known
    return Language(subtag, subtag, rtl=subtag in RTL_CODES)


def direction(code: str | None) -> str:
    """``"rtl"`` or ``"ltr"``: the base direction of a text in that language."""
    return language(code).direction


def parse_language(value: str) -> str:
    """A language tag from a statement file, normalized (``fr``, ``es-419``); raises
    :class:`UnknownLanguage` with a message for the drafter when the renderer has no rules
    for it."""
    text = str(value).strip()
    subtag = primary(text)
    if subtag not in LANGUAGES:
        known = ", ".join(f"{code} ({lang.name})" for code, lang in LANGUAGES.items())
        raise UnknownLanguage(
            gettext(
                "unknown language '%(text)s' (the renderer knows: %(known)s)",
                text=text,
                known=known,
            )
        )
    rest = text[len(subtag) :].replace("_", "-")
    return subtag + rest
