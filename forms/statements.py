"""Forms of the drafting pages: new statement, import, editor, co-drafters, comments."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.core.inputs import MAX_INT
from portal.statements.limits import COMMENT_MAX, EXTENSIONS, NOTE_MAX, QUOTE_MAX, TITLE_MAX
from portal.text import languages

from .choices import select_choices

# The six UN languages, one list for originals and translations (portal/text/languages.py);
# their names are lazy strings, shown in the reader's language.
LANGUAGES = languages.choices()

BODY_HINT = (
    "Markdown: ## for a section, ### for a sub-heading, text[^1] with [^1]: note for a footnote, "
    "and the closing paragraph between ::: closing and ::: lines."
)


class _LeadAndArea(FlaskForm):
    lead = SelectField(_l("Lead organization"), coerce=int, validators=[DataRequired()])
    area = SelectField(_l("Programme area"), coerce=int, validators=[DataRequired()])
    language = SelectField(_l("Language"), choices=select_choices(LANGUAGES), default="en")

    def set_choices(self, organizations, areas) -> None:
        self.lead.choices = select_choices((o.id, o.name) for o in organizations)
        self.area.choices = select_choices((a.id, a.title) for a in areas)


class NewStatementForm(_LeadAndArea):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired()])


class ImportStatementForm(_LeadAndArea):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file to import."))],
        description=_l(
            "%(join)s, at most 2 MB. Word footnotes and headings are kept.",
            join=", ".join(EXTENSIONS),
        ),
    )


class EditForm(FlaskForm):
    # An id: beyond the database's integer it can only be tampered with.
    base_revision_id = IntegerField(validators=[Optional(), NumberRange(1, MAX_INT)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired()])
    note = StringField(
        _l("What changed (a short note for the history)"), validators=[Length(max=NOTE_MAX)]
    )
    substantive = BooleanField(
        _l(
            "Substantive change — organizations that signed an earlier text are asked to re-confirm"
        ),
        default=True,
    )


class InviteForm(FlaskForm):
    organization = SelectField(
        _l("Organization to invite"), coerce=int, validators=[DataRequired()]
    )


class CommentForm(FlaskForm):
    parent_id = HiddenField()
    quote = TextAreaField(
        _l("Quoted passage (optional)"),
        validators=[Optional(), Length(max=QUOTE_MAX)],
        description=_l("Paste the words of the current text your comment is about."),
    )
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=COMMENT_MAX)])


class TranslationForm(FlaskForm):
    """The translation editor. `source_revision_id` is the original's revision shown beside the
    editor when it was opened: the saved text is marked as its translation."""

    base_revision_id = IntegerField(validators=[Optional(), NumberRange(1, MAX_INT)])
    source_revision_id = IntegerField(validators=[Optional(), NumberRange(1, MAX_INT)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired()], description=BODY_HINT)
    note = StringField(
        _l("What changed (a short note for the history)"), validators=[Length(max=NOTE_MAX)]
    )


def untranslated_languages(statement) -> list[tuple[str, str]]:
    """The UN languages other than the original's, without those already translated."""
    taken = {statement.language} | {t.language for t in statement.translations}
    return [(code, name) for code, name in LANGUAGES if code not in taken]


class NewTranslationForm(TranslationForm):
    language = SelectField(_l("Language of the translation"), validators=[DataRequired()])

    def set_choices(self, statement) -> None:
        self.language.choices = select_choices(untranslated_languages(statement))


class ImportTranslationForm(FlaskForm):
    language = SelectField(_l("Language of the translation"), validators=[DataRequired()])
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file to import."))],
        description=_l(
            "%(extensions)s, at most 2 MB. Word footnotes and headings are kept. "
            "A language already translated gets the file as its next revision.",
            extensions=", ".join(EXTENSIONS),
        ),
    )

    def set_choices(self, statement) -> None:
        taken = {statement.language}
        self.language.choices = select_choices([(c, n) for c, n in LANGUAGES if c not in taken])
