"""The languages a statement and its translations are written in: the six official languages
of the United Nations, where the negotiations the portal serves take place.

One list for the original's language (the new-statement and import forms, the front matter's
``language``) and for translations; the translations table checks it too. Statements stored
before the list existed keep whatever code they were given and render as before.
"""

# code → English name (the interface) and the name in the language itself (the language links
# on a public page, read by people looking for their own language).
LANGUAGES: dict[str, tuple[str, str]] = {
    "ar": ("Arabic", "العربية"),
    "en": ("English", "English"),
    "es": ("Spanish", "Español"),
    "fr": ("French", "Français"),
    "ru": ("Russian", "Русский"),
    "zh": ("Chinese", "中文"),
}
CODES: tuple[str, ...] = tuple(LANGUAGES)
DEFAULT = "en"


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES


def english_name(code: str) -> str:
    return LANGUAGES[code][0] if code in LANGUAGES else code


def own_name(code: str) -> str:
    """The language's name in that language ("Français")."""
    return LANGUAGES[code][1] if code in LANGUAGES else code


def choices() -> list[tuple[str, str]]:
    """(code, English name) for a select, in the order of LANGUAGES."""
    return [(code, names[0]) for code, names in LANGUAGES.items()]
