"""Translations as operations, without HTTP: create, revise, import from .docx; "translation of
revision N" and the out-of-date flag; who may translate, in which states; the original, its
revisions and its signatures untouched."""

import pypandoc
import pytest
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Revision,
    Statement,
    StatementState,
    StatementTranslation,
    TranslationRevision,
)
from portal.statements import operations
from portal.statements import translation_operations as translations
from portal.statements.translation_queries import standings

FRENCH = """## Notre vision

La société civile est reliée par des réseaux[^1] et des régions.

::: closing
Merci.
:::

[^1]: Voir <https://example.org/declaration>.
"""


def _translate(d, language="fr", user=None, body=FRENCH):
    translation = translations.create_translation(
        user or d.lead_member,
        d.statement,
        language=language,
        title="Une déclaration commune",
        body=body,
    )
    db.session.commit()
    return translation


def _revise_original(d, body, user=None, title=None):
    statement = d.statement
    revision = operations.save_revision(
        user or d.lead_member,
        statement,
        base_revision_id=statement.current_revision_id,
        title=title or statement.title,
        body=body,
    )
    db.session.commit()
    return revision


def _events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_drafter_creates_a_translation_of_the_current_revision(drafting):
    translation = _translate(drafting, user=drafting.co_member)
    revision = translation.current_revision
    assert (translation.language, revision.number) == ("fr", 1)
    assert revision.source_revision == drafting.statement.current_revision  # of revision 1
    assert revision.title == "Une déclaration commune" and "Notre vision" in revision.body
    assert revision.author == drafting.co_member
    assert revision.organization_id == drafting.co_org.id
    [event] = _events("translation.create")
    assert event.object_id == drafting.statement.id
    assert event.details["language"] == "fr" and event.details["translation_of"] == 1
    assert event.actor == drafting.co_member


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "written in English"),  # the original's own language
        ("pt", "Choose one of the UN languages"),
        ("", "Choose one of the UN languages"),
    ],
)
def test_a_language_outside_the_list_or_the_originals_is_refused(drafting, language, message):
    with pytest.raises(OperationError, match=message) as refused:
        _translate(drafting, language=language)
    assert refused.value.field == "language"
    db.session.rollback()
    assert db.session.scalar(select(func.count(StatementTranslation.id))) == 0


def test_one_translation_per_language(drafting):
    _translate(drafting)
    with pytest.raises(OperationError, match="French translation already"):
        _translate(drafting, user=drafting.co_member)
    db.session.rollback()
    assert db.session.scalar(select(func.count(StatementTranslation.id))) == 1


def test_an_empty_translation_is_refused_on_its_field(drafting):
    with pytest.raises(OperationError) as refused:
        _translate(drafting, body="   \n")
    assert refused.value.field == "body"


def test_revisions_of_a_translation_are_numbered_and_checked_for_conflicts(drafting):
    translation = _translate(drafting)
    first = translation.current_revision
    second = translations.save_translation_revision(
        drafting.co_member,
        translation,
        base_revision_id=first.id,
        title=first.title,
        body=FRENCH.replace("Merci.", "Merci beaucoup."),
        note="Closing",
    )
    db.session.commit()
    assert (second.number, second.note, translation.current_revision) == (2, "Closing", second)
    [saved] = _events("translation.save")
    assert saved.details["revision"] == 2 and saved.details["translation_of"] == 1
    assert "source" not in saved.details  # typed in the editor: no file it came from
    # Saving on top of revision 1 again (someone saved since) is a conflict, not an overwrite.
    with pytest.raises(translations.TranslationConflict):
        translations.save_translation_revision(
            drafting.lead_member, translation, base_revision_id=first.id, title="T", body="B"
        )
    db.session.rollback()
    # The same text against the same original is no revision.
    with pytest.raises(OperationError, match="Nothing changed since revision 2"):
        translations.save_translation_revision(
            drafting.lead_member,
            translation,
            base_revision_id=second.id,
            title=second.title,
            body=second.body,
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(TranslationRevision.id))) == 2


def test_revisions_are_immutable(drafting):
    revision = _translate(drafting).current_revision
    revision.body = "changed"
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def _standing(d):
    [standing] = standings(d.statement)
    return standing


def test_a_substantive_change_of_the_original_puts_the_translation_out_of_date(drafting):
    _translate(drafting)
    assert not _standing(drafting).out_of_date
    original = drafting.statement.current_revision.body
    _revise_original(drafting, original.replace("and regions.", "and all regions."))
    standing = _standing(drafting)
    assert standing.out_of_date and standing.source_number == 1
    assert drafting.statement.current_revision.number == 2


def test_a_new_title_of_the_original_puts_the_translation_out_of_date(drafting):
    _translate(drafting)
    _revise_original(drafting, drafting.statement.current_revision.body, title="A new title")
    assert _standing(drafting).out_of_date


def test_whitespace_only_changes_of_the_original_leave_the_translation_up_to_date(drafting):
    _translate(drafting)
    original = drafting.statement.current_revision.body
    # A re-wrapped line and a blank line more: a new revision, the same words.
    rewrapped = original.replace("networks[^1] and regions.", "networks[^1]\nand regions.")
    rewrapped = rewrapped.replace("### Labour migration", "\n### Labour migration")
    assert rewrapped.split() == original.split() and rewrapped != original
    _revise_original(drafting, rewrapped)
    standing = _standing(drafting)
    assert standing.original.number == 2
    assert not standing.out_of_date


def test_the_translator_brings_it_up_to_date_by_translating_the_new_revision(drafting):
    translation = _translate(drafting)
    original = drafting.statement.current_revision.body
    newer = _revise_original(drafting, original.replace("Fair recruitment.", "Fair hiring."))
    assert _standing(drafting).out_of_date
    # The change needs no change in French: the same text, confirmed against revision 2.
    revision = translations.save_translation_revision(
        drafting.lead_member,
        translation,
        base_revision_id=translation.current_revision_id,
        title=translation.title,
        body=translation.current_revision.body,
        source_revision_id=newer.id,
    )
    db.session.commit()
    assert revision.source_revision.number == 2
    assert not _standing(drafting).out_of_date


def test_a_source_revision_of_another_statement_is_refused(drafting, make_user):
    from tests.statements_support import make_draft

    translation = _translate(drafting)
    elsewhere = make_draft(drafting.other_member, drafting.other_org, drafting.round)
    with pytest.raises(OperationError, match="another statement"):
        translations.save_translation_revision(
            drafting.lead_member,
            translation,
            base_revision_id=translation.current_revision_id,
            title="Autre",
            body="Texte.",
            source_revision_id=elsewhere.current_revision_id,
        )


def test_translations_leave_the_original_alone(drafting):
    statement = drafting.statement
    before = (statement.current_revision_id, statement.updated_at)
    revisions = db.session.scalar(select(func.count(Revision.id)))
    translation = _translate(drafting)
    translations.save_translation_revision(
        drafting.lead_member,
        translation,
        base_revision_id=translation.current_revision_id,
        title="Titre",
        body="Texte.",
    )
    db.session.commit()
    db.session.refresh(statement)
    assert (statement.current_revision_id, statement.updated_at) == before
    assert db.session.scalar(select(func.count(Revision.id))) == revisions
    assert _events("statement.save") == []


def test_another_organizations_member_cannot_translate(drafting):
    for user in (drafting.other_member, drafting.outsider, drafting.coordinator):
        with pytest.raises(OperationError, match="drafting organizations"):
            _translate(drafting, user=user)
        db.session.rollback()
    translation = _translate(drafting)
    with pytest.raises(OperationError, match="drafting organizations"):
        translations.save_translation_revision(
            drafting.other_member,
            translation,
            base_revision_id=translation.current_revision_id,
            title="Titre",
            body="Texte.",
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(TranslationRevision.id))) == 1
    assert _events("translation.save") == []


TRANSLATABLE = {
    StatementState.DRAFT,
    StatementState.SIGNING,
    StatementState.SUBMITTED,
    StatementState.CHANGES_REQUESTED,
    StatementState.APPROVED,
}


@pytest.mark.parametrize("state", list(StatementState))
def test_which_states_may_be_translated(crew, make_statement, state):
    statement = make_statement(state)
    assert statement.can_translate(crew["drafter"]) == (state in TRANSLATABLE)
    assert not statement.can_translate(crew["outsider"])
    assert not statement.can_translate(crew["coordinator"])
    attempt = lambda: translations.create_translation(  # noqa: E731
        crew["drafter"], statement, language="es", title="Declaración", body="Texto."
    )
    if state in TRANSLATABLE:
        assert attempt().current_revision.source_revision == statement.current_revision
    else:
        with pytest.raises(OperationError, match="translations can no longer change"):
            attempt()


# -- import --------------------------------------------------------------------------------------

SPANISH_SOURCE = """# Una declaración conjunta

## Nuestra visión

La sociedad civil está conectada en redes[^1] y regiones.

- Trabajo decente.

[^1]: Véase la declaración de Nueva York.
"""


@pytest.fixture(scope="module")
def spanish_docx(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "traduccion.docx"
    pypandoc.convert_text(SPANISH_SOURCE, "docx", format="markdown", outputfile=str(path))
    return path.read_bytes()


def test_a_translation_is_imported_from_docx_then_revised_by_a_second_import(
    drafting, spanish_docx
):
    revision = translations.import_translation(
        drafting.lead_member,
        drafting.statement,
        language="es",
        filename="traduccion.docx",
        data=spanish_docx,
    )
    db.session.commit()
    assert revision.title == "Una declaración conjunta"
    assert "## Nuestra visión" in revision.body and "[^1]" in revision.body
    assert "[^1]: Véase la declaración de Nueva York." in revision.body
    assert revision.note == "Imported from traduccion.docx"
    assert revision.source_revision == drafting.statement.current_revision
    [event] = _events("translation.import")
    assert event.details == {**event.details, "language": "es", "revision": 1}
    assert event.details["source"] == "traduccion.docx"

    # The corrected file, imported again: the next revision of the same translation.
    edited = SPANISH_SOURCE.replace("Trabajo decente.", "Trabajo decente para todos.")
    second = translations.import_translation(
        drafting.co_member,
        drafting.statement,
        language="es",
        filename="v2.md",
        data=edited.encode(),
    )
    db.session.commit()
    assert second.number == 2 and "para todos" in second.body
    events = _events("translation.import")
    assert [(e.details["revision"], e.details["source"]) for e in events] == [
        (1, "traduccion.docx"),
        (2, "v2.md"),
    ]
    assert db.session.scalar(select(func.count(StatementTranslation.id))) == 1


def test_a_bad_file_is_refused_and_changes_nothing(drafting):
    with pytest.raises(OperationError, match="not a Word document") as refused:
        translations.import_translation(
            drafting.lead_member,
            drafting.statement,
            language="fr",
            filename="t.docx",
            data=b"plain text pretending",
        )
    assert refused.value.field == "file"
    db.session.rollback()
    assert db.session.scalar(select(func.count(StatementTranslation.id))) == 0
    assert db.session.get(Statement, drafting.statement.id).translations == []


def test_a_statement_file_in_a_language_outside_the_list_is_refused_on_the_file(people, make_round):
    from portal.statements.importing import import_statement

    round_ = make_round()
    source = "---\ntitle: Declaração\nlanguage: pt\n---\n## Visão\n\nTexto.\n"
    with pytest.raises(OperationError, match="language 'pt'; use one of the UN languages") as bad:
        import_statement(
            people["member"],
            round_,
            organization=people["org"],
            area=round_.areas[0],
            filename="s.md",
            data=source.encode(),
        )
    assert bad.value.field == "file"
    french = import_statement(
        people["member"],
        round_,
        organization=people["org"],
        area=round_.areas[0],
        filename="s.md",
        data=source.replace("language: pt", "language: FR").encode(),
    )
    assert french.language == "fr"
