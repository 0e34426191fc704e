"""The form of a round's submission requirements: a venue profile and its adjustments."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, NumberRange, Optional

from portal.text.languages import LANGUAGES, display_name
from portal.venues.profiles import (
    PROFILE_LABELS,
    Deliverable,
    Eligibility,
    Footnotes,
    Grouping,
    Placement,
)

from .choices import select_choices

FOOTNOTE_LABELS = {
    Footnotes.ALLOWED: _l("Allowed"),
    Footnotes.DISCOURAGED: _l("Discouraged (a warning)"),
    Footnotes.FORBIDDEN: _l("Not accepted"),
}
ELIGIBILITY_LABELS = {
    Eligibility.ANYONE: _l("Any organization"),
    Eligibility.ECOSOC: _l("Organizations in ECOSOC consultative status"),
    Eligibility.ADMITTED: _l("Admitted observers of the process"),
}
PLACEMENT_LABELS = {
    Placement.EXCLUDED: _l("Not listed"),
    Placement.TITLE_FOOTNOTE: _l("In a footnote to the title"),
    Placement.ALSO_ON_BEHALF: _l("After the others, “also on behalf of”"),
}
GROUPING_LABELS = {
    Grouping.ROUND_ORDER: _l("The statement's own order"),
    Grouping.ALPHABETICAL: _l("Alphabetical"),
    Grouping.BY_STATUS: _l("By ECOSOC status, then alphabetical"),
}
DELIVERABLE_LABELS = {
    Deliverable.PDF: _l("PDF like the model document"),
    Deliverable.DOCX: _l("Word file (DOCX) to the venue's template"),
}


def _choices(labels: dict) -> list:
    return select_choices((str(value), label) for value, label in labels.items())


def _language_choices() -> list:
    return select_choices((code, display_name(code)) for code in LANGUAGES)


def _limit(label) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(1, 20_000, _l("Enter a number of words from 1 to 20,000.")),
        ],
    )


class RequirementsForm(FlaskForm):
    profile = SelectField(
        _l("Venue profile"),
        choices=_choices(PROFILE_LABELS),
        validators=[DataRequired(_l("Choose a venue profile."))],
    )
    word_limit = _limit(_l("Word limit (empty: none)"))
    reduced_word_limit = _limit(_l("Word limit for leads in special or roster status"))
    count_footnotes = BooleanField(_l("Footnotes count"))
    count_signatories = BooleanField(_l("The signatory list counts"))
    count_cover = BooleanField(_l("The cover page counts"))
    languages = SelectMultipleField(_l("Languages accepted (none: any)"), choices=[])
    title_languages = SelectMultipleField(_l("The title must also be given in"), choices=[])
    footnotes = SelectField(_l("Footnotes"), choices=_choices(FOOTNOTE_LABELS))
    lead = SelectField(_l("Who may lead"), choices=_choices(ELIGIBILITY_LABELS))
    signers = SelectField(_l("Who may sign"), choices=_choices(ELIGIBILITY_LABELS))
    others = SelectField(
        _l("Organizations that may not sign go"), choices=_choices(PLACEMENT_LABELS)
    )
    grouping = SelectField(_l("Signatories are ordered"), choices=_choices(GROUPING_LABELS))
    deliverable = SelectField(_l("File to deliver"), choices=_choices(DELIVERABLE_LABELS))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Language names in the language of the request.
        self.languages.choices = _language_choices()
        self.title_languages.choices = _language_choices()

    ADJUSTABLE = (
        "word_limit",
        "reduced_word_limit",
        "count_footnotes",
        "count_signatories",
        "count_cover",
        "languages",
        "title_languages",
        "footnotes",
        "lead",
        "signers",
        "others",
        "grouping",
        "deliverable",
    )

    def adjustments(self) -> dict:
        values = {name: getattr(self, name).data for name in self.ADJUSTABLE}
        for name in ("languages", "title_languages"):
            values[name] = tuple(values[name] or ())
        for name, enum_cls in (
            ("footnotes", Footnotes),
            ("lead", Eligibility),
            ("signers", Eligibility),
            ("others", Placement),
            ("grouping", Grouping),
            ("deliverable", Deliverable),
        ):
            values[name] = enum_cls(values[name])
        return values

    def fill(self, requirements) -> None:
        """Show `requirements` (a venues.profiles.Requirements) in the fields."""
        self.profile.data = requirements.profile
        for name in self.ADJUSTABLE:
            value = getattr(requirements, name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, str):
                value = str(value)  # the enum's value, as the <select> holds it
            getattr(self, name).data = value
