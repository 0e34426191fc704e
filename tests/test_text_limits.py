"""Bounds on the statement text (issue 9, finding 10): at most 200 footnote calls, 20,000 words
and 200,000 characters — refused with the line where the limit is passed, next to the editor's
text field, for the imported file, and by `portal render` with exit status 2."""

import io

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import Revision, Statement
from portal.render_cli import render_command
from portal.statements.importing import read_statement_file
from portal.statements.operations import clean_text
from portal.text.limits import MAX_FOOTNOTES, MAX_WORDS, TextLimitError, check_limits
from tests.helpers.clients import signed_in
from tests.helpers.forms import edit_form


def notes(count: int) -> str:
    """`count` paragraphs (lines 1, 3, 5, …), each calling its own note."""
    calls = "\n\n".join(f"Paragraph {n}[^{n}]." for n in range(1, count + 1))
    return calls + "\n\n" + "\n".join(f"[^{n}]: Note {n}." for n in range(1, count + 1)) + "\n"


def test_footnotes_up_to_the_limit_pass_and_one_more_names_its_line():
    check_limits(notes(MAX_FOOTNOTES))
    with pytest.raises(TextLimitError) as error:
        check_limits(notes(MAX_FOOTNOTES + 1))
    assert error.value.line == 2 * MAX_FOOTNOTES + 1
    assert "more than 200 footnotes" in error.value.message
    assert f"line {2 * MAX_FOOTNOTES + 1}" in error.value.message


def test_one_note_called_thousands_of_times_counts_every_call():
    with pytest.raises(TextLimitError, match="more than 200 footnotes"):
        check_limits("Text" + "[^1]" * 5000 + "\n\n[^1]: The note.\n")


def test_words_and_characters():
    paragraph = " ".join(["word"] * 1000)
    check_limits("\n\n".join([paragraph] * (MAX_WORDS // 1000)))
    with pytest.raises(TextLimitError, match="longer than 20,000 words") as error:
        check_limits("\n\n".join([paragraph] * (MAX_WORDS // 1000 + 1)))
    assert error.value.line == 2 * (MAX_WORDS // 1000) + 1
    with pytest.raises(TextLimitError, match="200,000 characters") as error:
        check_limits("short line\n" + "x" * 200_000)
    assert error.value.line == 2


def test_operations_refuse_on_the_body_field():
    with pytest.raises(OperationError, match="more than 200 footnotes") as error:
        clean_text("Title", notes(MAX_FOOTNOTES + 1))
    assert error.value.field == "body"


def test_editor_shows_the_limit_next_to_the_text_and_saves_nothing(app, drafting):
    client = signed_in(app, drafting.lead_member)
    sid = drafting.statement.id
    response = client.post(
        f"/statements/{sid}/edit", data=edit_form(drafting.statement, notes(MAX_FOOTNOTES + 1))
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="body-error">The text calls more than 200 footnotes' in page
    assert f"called on line {2 * MAX_FOOTNOTES + 1}" in page
    assert db.session.scalar(select(func.count(Revision.id))) == 1


def test_import_refuses_on_the_file_field(app, people, make_round):
    with pytest.raises(OperationError, match="more than 200 footnotes") as error:
        read_statement_file("s.md", b"---\ntitle: T\n---\n\n" + notes(MAX_FOOTNOTES + 1).encode())
    assert error.value.field == "file"
    assert f"footnote 201 is called on line {4 + 2 * MAX_FOOTNOTES + 1})." in error.value.message
    round_ = make_round()
    client = signed_in(app, people["member"])
    form = {"lead": people["org"].id, "area": round_.areas[0].id, "language": "en"}
    response = client.post(
        f"/rounds/{round_.slug}/statements/import",
        data={**form, "file": (io.BytesIO(notes(MAX_FOOTNOTES + 1).encode()), "s.md")},
    )
    assert response.status_code == 400
    assert 'id="file-error">The text calls more than 200 footnotes' in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count(Statement.id))) == 0


def test_render_cli_names_the_file_line_and_exits_2(tmp_path):
    source = tmp_path / "s.md"
    source.write_text("---\ntitle: Too many notes\n---\n\n" + notes(MAX_FOOTNOTES + 1))
    out = tmp_path / "s.pdf"
    result = CliRunner().invoke(render_command, [str(source), "-o", str(out)])
    assert result.exit_code == 2
    # Four lines of front matter and blank line come before the text's first line.
    line = 4 + 2 * MAX_FOOTNOTES + 1
    assert f"{source}:{line}: The text calls more than 200 footnotes; a" in result.output
    assert not out.exists()
