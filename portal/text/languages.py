"""The languages a statement and its translations are written in: the six official languages
of the United Nations, where the negotiations the portal serves take place.

One list for the original's language (the new-statement and import forms, the front matter's
``language``) and for translations; the translations table checks it too. Statements stored
before the list existed keep whatever code they were given and render as before.
"""

from flask_babel import gettext, lazy_gettext


def N_(message: str) -> str:
    """Marks a name for extraction; it is translated when read."""
    return message


# code → the name in the interface's language (marked in English, translated when read: the
# catalogs hold it) and the name in the language itself (the language links on a public page,
# read by people looking for their own language).
LANGUAGES: dict[str, tuple[str, str]] = {
    "ar": (N_("Arabic"), "العربية"),
    "en": (N_("English"), "English"),
    "es": (N_("Spanish"), "Español"),
    "fr": (N_("French"), "Français"),
    "ru": (N_("Russian"), "Русский"),
    "zh": (N_("Chinese"), "中文"),
}
CODES: tuple[str, ...] = tuple(LANGUAGES)
DEFAULT = "en"


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES


def display_name(code: str) -> str:
    """The language's name in the language of the moment ("French", "francés"): English
    outside a request or a document's `force_locale` (the render CLI)."""
    return gettext(LANGUAGES[code][0]) if code in LANGUAGES else code


def marked_name(code: str) -> str:
    """The English name as marked for the catalogs, for a document that translates it into its
    own language (core/i18n.document_gettext)."""
    return LANGUAGES[code][0] if code in LANGUAGES else code


def own_name(code: str) -> str:
    """The language's name in that language ("Français")."""
    return LANGUAGES[code][1] if code in LANGUAGES else code


def choices() -> list:
    """(code, name) for a select, in the order of LANGUAGES; the names are lazy strings, read
    in the language of the page that shows the select (forms are built at import time)."""
    return [(code, lazy_gettext(names[0])) for code, names in LANGUAGES.items()]
