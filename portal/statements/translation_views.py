"""Translation pages of a statement: the list of its languages, one translation's text and
history, the translation editor, the import of a translation from a file. Registered on the
statements blueprint; the state changes are in translation_operations."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forms.statements import (
    ImportTranslationForm,
    NewTranslationForm,
    TranslationForm,
    untranslated_languages,
)

from ..core.feedback import FAILED, attach_error, attempt, perform, refused
from ..models import Statement
from ..text import estimate_pages, languages, render_html, word_count
from ..text.diff import revision_diff
from . import translation_operations as operations
from .importing import MAX_BYTES
from .queries import load_statement
from .translation_queries import load_translation, standings, translation_revisions
from .views import _preview_response, bp, send_draft

LANGUAGE = f"<any({', '.join(languages.CODES)}):language>"


def _list_url(statement) -> str:
    return url_for(".translations", statement_id=statement.id)


@bp.get("/statements/<int:statement_id>/translations")
@login_required
def translations(statement_id):
    statement = load_statement(statement_id)
    import_form = None
    if statement.can_translate(current_user):
        import_form = ImportTranslationForm()
        import_form.set_choices(statement)
    return render_template(
        "statements/translations.html",
        statement=statement,
        standings=standings(statement),
        import_form=import_form,
        addable=untranslated_languages(statement),
    )


@bp.get(f"/statements/<int:statement_id>/translations/{LANGUAGE}")
@login_required
def translation(statement_id, language):
    statement = load_statement(statement_id)
    # Only a translation with a text has a standing: one without is not there to show.
    standing = next((s for s in standings(statement) if s.language == language), None)
    if standing is None:
        abort(404)
    return render_template(
        "statements/translation.html",
        statement=statement,
        translation=standing.translation,
        standing=standing,
        body_html=render_html(standing.revision.body),
        revisions=translation_revisions(standing.translation),
    )


def _editor(statement, form, *, translation=None, status=200, conflict=False):
    """The editor page, with the original it translates: its current text, and what changed in
    it since the revision the translation was made from."""
    body = form.body.data or ""
    original = statement.current_revision
    source = translation.current_revision.source_revision if translation else None
    changed = revision_diff(source, original, context=2) if source and source != original else None
    return render_template(
        "statements/translation_edit.html",
        statement=statement,
        translation=translation,
        form=form,
        conflict=conflict,
        language_name=languages.display_name(translation.language) if translation else None,
        original=original,
        original_html=render_html(original.body),
        source=source,
        changed=changed,
        preview=render_html(body),
        words=word_count(body),
        pages=estimate_pages(body),
    ), status


@bp.route("/statements/<int:statement_id>/translations/new", methods=["GET", "POST"])
@login_required
def new_translation(statement_id):
    statement = load_statement(statement_id, Statement.can_translate)
    form = NewTranslationForm()
    form.set_choices(statement)
    if request.method == "GET":
        form.source_revision_id.data = statement.current_revision_id
        if request.args.get("language") in languages.CODES:
            form.language.data = request.args["language"]
        return _editor(statement, form)
    valid = form.validate()
    if request.form.get("action") == "preview" or not valid:
        return _editor(statement, form, status=200 if valid else 400)
    created = perform(
        form,
        operations.create_translation,
        current_user,
        statement,
        language=form.language.data,
        title=form.title.data,
        body=form.body.data,
        note=form.note.data,
        source_revision_id=form.source_revision_id.data,
    )
    if created is FAILED:
        return _editor(statement, form, status=400)
    flash(
        _(
            "The %(language)s translation is saved.",
            language=languages.display_name(created.language),
        ),
        "success",
    )
    return redirect(url_for(".translation", statement_id=statement.id, language=created.language))


@bp.route(f"/statements/<int:statement_id>/translations/{LANGUAGE}/edit", methods=["GET", "POST"])
@login_required
def edit_translation(statement_id, language):
    statement = load_statement(statement_id, Statement.can_translate)
    translation = load_translation(statement, language) or abort(404)
    form = TranslationForm()
    if request.method == "GET":
        current = translation.current_revision or abort(404)
        form.base_revision_id.data = current.id
        form.source_revision_id.data = statement.current_revision_id
        form.title.data, form.body.data, form.note.data = current.title, current.body, ""
        return _editor(statement, form, translation=translation)
    valid = form.validate()
    if request.form.get("action") == "preview" or not valid:
        return _editor(statement, form, translation=translation, status=200 if valid else 400)
    saved = attempt(
        operations.save_translation_revision,
        current_user,
        translation,
        base_revision_id=form.base_revision_id.data,
        title=form.title.data,
        body=form.body.data,
        note=form.note.data,
        source_revision_id=form.source_revision_id.data,
        conflict=(operations.TranslationConflict,),
        then=lambda revision: _(
            "Saved as revision %(number)s of the translation.", number=revision.number
        ),
    )
    if refused(saved):
        translation = load_translation(load_statement(statement_id), language) or abort(404)
        if saved.status == 409:
            # Saving again from this page goes on top of the newer revision, merged by hand.
            form.base_revision_id.data = translation.current_revision_id
        attach_error(form, saved.error)
        return _editor(
            statement,
            form,
            translation=translation,
            status=saved.status,
            conflict=saved.status == 409,
        )
    flash(saved, "success")
    return redirect(url_for(".translation", statement_id=statement.id, language=language))


@bp.post("/statements/<int:statement_id>/translations/import")
@login_required
def import_translation(statement_id):
    statement = load_statement(statement_id, Statement.can_translate)
    form = ImportTranslationForm()
    form.set_choices(statement)
    if form.validate_on_submit():
        upload = form.file.data
        revision = perform(
            form,
            operations.import_translation,
            current_user,
            statement,
            language=form.language.data,
            filename=upload.filename or "",
            data=upload.read(MAX_BYTES + 1),
            rename={"title": "file", "body": "file"},
        )
        if revision is not FAILED:
            flash(
                _(
                    "The file is imported as revision %(number)s of the translation. "
                    "Check the text below.",
                    number=revision.number,
                ),
                "success",
            )
            language = form.language.data
            return redirect(url_for(".translation", statement_id=statement.id, language=language))
    return render_template(
        "statements/translations.html",
        statement=statement,
        standings=standings(statement),
        import_form=form,
        addable=untranslated_languages(statement),
    ), 400


@bp.post("/statements/<int:statement_id>/translations/preview")
@login_required
def translation_preview(statement_id):
    """The editor's live preview, for those who may translate (the original may be locked)."""
    load_statement(statement_id, Statement.can_translate)
    return _preview_response(request.form.get("body", ""), None)


@bp.get(f"/statements/<int:statement_id>/translations/{LANGUAGE}/draft.pdf")
@login_required
def translation_draft_pdf(statement_id, language):
    """The translation's current text as a draft PDF, for whoever may read the statement."""
    statement = load_statement(statement_id)
    translation = load_translation(statement, language) or abort(404)
    return send_draft(statement, translation.current_revision or abort(404))
