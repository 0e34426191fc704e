"""Statements from files: .docx (built here with pandoc, with real Word footnotes), .md, .txt;
bad files refused with a clear message and nothing created; the `portal import` command."""

import io
import zipfile

import pypandoc
import pytest
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import AuditEvent, Statement
from portal.statements.importing import MAX_BYTES, read_statement_file
from tests.helpers.clients import signed_in

SOURCE = """---
title: Civil Society Statement on Vision and Aspiration
---

# On Vision and Aspiration

Civil society is connected across a diversity of networks[^1], sectors and regions.

## Labour migration

- Decent work for all migrant workers.
- Fair and ethical recruitment[^2].

Closing words of the statement.

[^1]: New York Declaration, <https://undocs.org/A/RES/71/1>.

[^2]: ILO General principles, <https://www.ilo.org/fair-recruitment>.
"""


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "statement.docx"
    pypandoc.convert_text(SOURCE, "docx", format="markdown", outputfile=str(path))
    data = path.read_bytes()
    # A real Word file: the notes live in word/footnotes.xml, not in the body text.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/footnotes.xml" in archive.namelist()
    return data


def test_docx_keeps_title_headings_bullets_and_footnotes(docx_bytes):
    imported = read_statement_file("statement.docx", docx_bytes)
    assert imported.title == "Civil Society Statement on Vision and Aspiration"
    body = imported.body
    assert "## On Vision and Aspiration" in body
    assert "### Labour migration" in body
    assert "- Decent work for all migrant workers." in body
    assert "networks[^1]" in body and "recruitment[^2]" in body
    assert "[^1]: New York Declaration" in body
    assert "[^2]: ILO General principles" in body
    assert "<" not in body.replace("<https://", "")  # no raw HTML came through


def test_markdown_with_front_matter_and_plain_text():
    md = read_statement_file("x.md", SOURCE.encode())
    assert md.title == "Civil Society Statement on Vision and Aspiration"
    assert "## On Vision and Aspiration" in md.body
    txt = read_statement_file(
        "joint_statement-2018.txt", "\ufeffA first paragraph.\r\n\r\nSecond.".encode()
    )
    assert txt.title == "Joint statement 2018"
    assert txt.body == "A first paragraph.\n\nSecond.\n"


def test_a_lone_top_heading_becomes_the_title():
    imported = read_statement_file("s.md", b"# The Title\n\n# Not a section? \n\ntext\n")
    assert imported.title == "S"  # two level-1 headings: both are sections
    imported = read_statement_file("s.md", b"# The Title\n\n## Section\n\ntext\n\n```\n# x\n```\n")
    assert imported.title == "The Title"
    assert imported.body.startswith("## Section")
    assert "# x" in imported.body  # code is not a heading


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("s.pdf", b"%PDF-1.4", "Upload a .docx, .md or .txt"),
        ("s.md", b"", "empty"),
        ("s.docx", b"plain text pretending", "not a Word document"),
        ("s.docx", None, "not a Word document"),  # a ZIP without word/document.xml
        ("s.txt", b"\x00\x01binary", "not a text file"),
        ("s.txt", "caf\u00e9".encode("latin-1"), "not UTF-8"),
        ("s.md", b"---\ntitle: [unclosed\n---\ntext", "front matter"),
        ("s.md", b"x" * (MAX_BYTES + 1), "larger than 2 MB"),
        ("s.md", b"---\ntitle: Only a title\n---\n\n", "no text"),
    ],
)
def test_bad_files_are_refused_clearly(filename, data, message):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        data = buffer.getvalue()
    with pytest.raises(OperationError, match=message) as error:
        read_statement_file(filename, data)
    assert error.value.field == "file"


def test_upload_through_the_form(app, people, make_round, docx_bytes):
    round_ = make_round()
    client = signed_in(app, people["member"])
    url = f"/rounds/{round_.slug}/statements/import"
    form = {"lead": people["org"].id, "area": round_.areas[0].id, "language": "en"}
    bad = client.post(url, data={**form, "file": (io.BytesIO(b"%PDF"), "s.pdf")})
    assert bad.status_code == 400
    assert "Upload a .docx, .md or .txt file." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Statement.id))) == 0
    response = client.post(url, data={**form, "file": (io.BytesIO(docx_bytes), "s.docx")})
    assert response.status_code == 302
    statement = db.session.scalar(select(Statement))
    assert statement.current_revision.note == "Imported from s.docx"
    assert "[^2]" in statement.current_revision.body
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "statement.create"))
    assert event.details["source"] == "s.docx"


def test_import_command(app, people, make_round, tmp_path, docx_bytes):
    round_ = make_round(areas=("Vision", "Labour"))
    path = tmp_path / "statement.docx"
    path.write_bytes(docx_bytes)
    runner = app.test_cli_runner()
    args = ["import", str(path), "--round", round_.slug, "--org", people["org"].slug]
    result = runner.invoke(args=[*args, "--area", "Labour"])
    assert result.exit_code == 0, result.output
    assert "Imported statement" in result.output
    statement = db.session.scalar(select(Statement))
    assert statement.area.title == "Labour"
    assert statement.current_revision.author == people["org_admin"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"--round": "nope"}, "no round"),
        ({"--org": "nope"}, "no organization"),
        ({"--area": "Nowhere"}, "no area"),
        ({"file": "missing.md"}, "does not exist"),
        ({"file": "bad.pdf"}, "Upload a .docx"),
    ],
)
def test_import_command_errors_exit_2(app, people, make_round, tmp_path, change, message):
    round_ = make_round()
    (tmp_path / "good.md").write_text("Text.\n")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF")
    options = {"--round": round_.slug, "--org": people["org"].slug}
    options.update({k: v for k, v in change.items() if k != "file"})
    args = ["import", str(tmp_path / change.get("file", "good.md"))]
    for key, value in options.items():
        args += [key, value]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert db.session.scalar(select(func.count(Statement.id))) == 0


def test_import_command_refuses_a_closed_round(app, people, make_round, tmp_path):
    round_ = make_round(phase="closed")
    (tmp_path / "s.md").write_text("Text.\n")
    args = ["import", str(tmp_path / "s.md"), "--round", round_.slug, "--org", people["org"].slug]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2 and "deadline passed" in result.output


@pytest.mark.parametrize(
    ("lang", "round_slug", "area", "message"),
    [
        ("fr_FR.UTF-8", "nope", "1", "Erreur : aucun cycle avec l'identifiant « nope »"),
        ("es_ES.UTF-8", None, "Nowhere", "Error: no hay ningún área «Nowhere» en"),
        ("C.UTF-8", None, "Nowhere", "Error: no area 'Nowhere' in"),
    ],
)
def test_import_command_speaks_the_shells_language(
    app, people, make_round, tmp_path, lang, round_slug, area, message
):
    round_ = make_round()
    (tmp_path / "s.md").write_text("Text.\n")
    args = ["import", str(tmp_path / "s.md"), "--round", round_slug or round_.slug]
    args += ["--org", people["org"].slug, "--area", area]
    env = {"LANG": lang, "LC_ALL": None, "LC_MESSAGES": None}
    result = app.test_cli_runner().invoke(args=args, env=env)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert db.session.scalar(select(func.count(Statement.id))) == 0
