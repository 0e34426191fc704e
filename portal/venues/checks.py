"""The checks a statement meets against its round's requirements: one list of problems for
the editor, the sign-on, the submission and the coordinator's review (docs/venues.md).

`check_text` judges the text alone (no database), `check_statement` adds who leads and signs."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _

from ..locale_formats import format_number
from ..text.languages import display_name
from .counting import WordCount, count_words
from .profiles import Footnotes, Requirements


class Severity(enum.StrEnum):
    ERROR = "error"  # submission is refused
    WARNING = "warning"  # shown, never refused


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.ERROR


def word_limit(requirements: Requirements, *, reduced: bool) -> int | None:
    if reduced and requirements.reduced_word_limit is not None:
        return requirements.reduced_word_limit
    return requirements.word_limit


def counted(
    body: str,
    requirements: Requirements,
    *,
    cover: Iterable[str] = (),
    signatories: Iterable[str] = (),
) -> WordCount:
    """The word count as the venue counts it."""
    return count_words(
        body,
        footnotes=requirements.count_footnotes,
        signatories=signatories if requirements.count_signatories else (),
        cover=cover if requirements.count_cover else (),
    )


def check_text(
    body: str,
    requirements: Requirements,
    *,
    language: str,
    cover: Iterable[str] = (),
    signatories: Iterable[str] = (),
    title_languages: Iterable[str] = (),
    reduced: bool = False,
) -> list[Problem]:
    """What the text breaks: word limit (the reduced one when `reduced`), language, footnotes
    and the title's languages (`title_languages`: those the title is given in)."""
    problems: list[Problem] = []
    count = counted(body, requirements, cover=cover, signatories=signatories)
    limit = word_limit(requirements, reduced=reduced)
    if limit is not None and count.total > limit:
        problems.append(
            Problem(
                "word_limit",
                _(
                    "The text has %(count)s words as the venue counts them, %(over)s over "
                    "the limit of %(limit)s.",
                    count=format_number(count.total),
                    limit=format_number(limit),
                    over=format_number(count.total - limit),
                ),
            )
        )
    if requirements.languages and language not in requirements.languages:
        problems.append(
            Problem(
                "language",
                _(
                    "The venue accepts statements in %(languages)s only.",
                    languages=", ".join(display_name(code) for code in requirements.languages),
                ),
            )
        )
    if count.footnotes or "[^" in body:
        if requirements.footnotes == Footnotes.FORBIDDEN:
            problems.append(Problem("footnotes", _("The venue accepts no footnotes.")))
        elif requirements.footnotes == Footnotes.DISCOURAGED:
            problems.append(
                Problem(
                    "footnotes",
                    _("The venue asks to avoid footnotes."),
                    Severity.WARNING,
                )
            )
    given = {language, *title_languages}
    missing = [code for code in requirements.title_languages if code not in given]
    if missing:
        problems.append(
            Problem(
                "title_languages",
                _(
                    "The title must also be given in %(languages)s (add a translation).",
                    languages=", ".join(display_name(code) for code in missing),
                ),
            )
        )
    return problems
