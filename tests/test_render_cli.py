"""`portal render`: files in, PDF or HTML out, clear errors with line numbers and exit 2."""

import io

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from portal.render_cli import render_command

from .pdf_helpers import MODEL, page_of, signatory_entries

SHORT = "---\ntitle: Short\nlead: Lead Org\nround: R2\n---\n\n## One\n\nText[^1].\n\n[^1]: Note.\n"


@pytest.fixture
def run(tmp_path):
    def run(*args):
        return CliRunner().invoke(render_command, [str(a) for a in args])

    return run


def test_model_statement_to_pdf(run, tmp_path):
    out = tmp_path / "x.pdf"
    result = run(MODEL, "-o", out)
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert reader.metadata.author == "Civil Society Action Committee"


def test_signatories_csv_with_bom_html_letter_draft(run, tmp_path):
    source = tmp_path / "s.md"
    source.write_text(SHORT, encoding="utf-8")
    csv = tmp_path / "s.csv"
    csv.write_bytes("\ufefforganization,country\r\nÉire Aid,IE\r\nZed,DE\r\n".encode())
    out = tmp_path / "s.html"
    result = run(source, "-o", out, "--signatories", csv, "--format", "html", "--paper", "letter",
                 "--draft")  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Signed by 2 organizations" in html and "Ireland" in html
    assert "size: letter" in html and 'class="watermark"' in html
    assert html.index("Éire Aid") < html.index("Zed")


def test_signatories_csv_to_pdf_two_columns_one_page(run, tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text("organization,country\nZed Union,DE\nalpha Aid,KE\nÉcoute,France\n", "utf-8")
    out = tmp_path / "s.pdf"
    result = run(MODEL, "-o", out, "--signatories", csv)
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    entries = signatory_entries(pdf)
    assert [text for _page, text in entries] == [
        "alpha Aid (Kenya)",
        "Écoute (France)",
        "Zed Union (Germany)",
    ]
    assert {page for page, _text in entries} == {page_of(pdf, "Signed by 3 organizations")}


@pytest.mark.parametrize(
    ("source", "csv", "message"),
    [
        ("---\ntitle: T\nfoo: x\n---\nBody\n", None, "s.md:3: unknown field 'foo'"),
        ("---\ntitle: T\ndate: 2018-13-01\n---\nBody\n", None, "s.md:3:"),
        ("---\nlead: L\n---\nBody\n", None, "needs a title"),
        (SHORT, "organization,country\nA,FR\nB only\n", "s.csv:3: expected 2 columns"),
        (SHORT, "A,FR\n,DE\n", "s.csv:2: the organization name is empty"),
        ("---\ntitle: T\nlead: L\nlang: xx\n---\nBody\n", None, "s.md:4: unknown language 'xx'"),
        ("---\ntitle: T\nlanguage: Klingon\n---\nB\n", None, "s.md:3: unknown language 'Klingon'"),
        ("---\nlang: fr\ntitle: T\nlanguage: es\n---\nB\n", None, "s.md:4: 'language' repeats"),
        ("---\ntitle: T\nlang: [fr]\n---\nB\n", None, "s.md:3: 'lang' must be a single line"),
    ],
)
def test_bad_input_exit_2_and_no_file(run, tmp_path, source, csv, message):
    (tmp_path / "s.md").write_text(source, encoding="utf-8")
    args = [tmp_path / "s.md", "-o", tmp_path / "out.pdf"]
    if csv is not None:
        (tmp_path / "s.csv").write_text(csv, encoding="utf-8")
        args += ["--signatories", tmp_path / "s.csv"]
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "out.pdf").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_render_is_registered_on_the_portal_command():
    import types

    import click

    from portal.cli import register_commands

    app = types.SimpleNamespace(cli=click.Group())
    register_commands(app)
    assert app.cli.commands["render"] is render_command


def test_rows_without_a_country_are_international_and_regions_are_places(run, tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text(
        "organization,country\n"
        "Attac France,France\n"
        "Global Union Federation,\n"
        "Red de Mujeres,Latin America and the Caribbean\n"
        "World Aid,International\n"
        "Kenya Aid,KE\n",
        "utf-8",
    )
    out = tmp_path / "s.pdf"
    result = run(MODEL, "-o", out, "--signatories", csv, "--order", "networks_first")
    assert result.exit_code == 0, result.output
    entries = [text for _page, text in signatory_entries(out.read_bytes())]
    assert entries == [
        "International and regional networks",
        "Global Union Federation (International)",
        "World Aid (International)",
        "Red de Mujeres (Latin America and the Caribbean)",
        "France",
        "Attac France",
        "Kenya",
        "Kenya Aid",
    ]


def test_language_from_front_matter_sets_lang_dir_and_typography(run, tmp_path):
    source = tmp_path / "s.md"
    source.write_text(
        '---\ntitle: T\nlang: fr\n---\n\nLe "texte"[^1]: voir.\n\n[^1]: Note.\n', encoding="utf-8"
    )
    out = tmp_path / "s.html"
    result = run(source, "-o", out, "--format", "html")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in html
    assert 'Le «&nbsp;texte&nbsp;»<span class="footnote"' in html and "&nbsp;: voir." in html


def test_arabic_front_matter_renders_right_to_left(run, tmp_path):
    source = tmp_path / "s.md"
    source.write_text("---\ntitle: بيان\nlang: ar-EG\n---\n\nنص عربي.\n", encoding="utf-8")
    out = tmp_path / "s.pdf"
    result = run(source, "-o", out)
    assert result.exit_code == 0, result.output
    assert PdfReader(io.BytesIO(out.read_bytes())).trailer["/Root"]["/Lang"] == "ar-EG"
    html_out = tmp_path / "s.html"
    assert run(source, "-o", html_out, "--format", "html").exit_code == 0
    assert '<html lang="ar-EG" dir="rtl">' in html_out.read_text(encoding="utf-8")


def test_the_pdfs_own_words_follow_the_front_matters_language(run, tmp_path):
    """`lang: fr` prints the PDF's own words in French: the lead line, the count, the list's
    headings and places, the footer and the draft mark — read back from the PDF."""
    source = tmp_path / "s.md"
    source.write_text(
        "---\ntitle: Déclaration\nlead: Réseau Climat\nlang: fr\n---\n\nLe texte.\n", "utf-8"
    )
    csv = tmp_path / "s.csv"
    csv.write_text(
        "organization,country\nAttac France,France\nGlobal Union,\nWest Net,West Africa\n", "utf-8"
    )
    out = tmp_path / "s.pdf"
    args = ("-o", out, "--signatories", csv, "--order", "networks_first", "--draft")
    assert run(source, *args).exit_code == 0
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    for words in (
        "Déclaration de Réseau Climat",
        "Signée par 3 organisations",
        "Réseaux internationaux et régionaux",
        "West Net (Afrique de l'Ouest)",
        "Page 1 sur 1",
        "PROJET",
    ):
        assert words in text
    for english in ("Statement by", "Signed by", "West Africa", "Page 1 of", "DRAFT"):
        assert english not in text
    # The same file without `lang` keeps the English words.
    source.write_text("---\ntitle: Statement\nlead: Réseau Climat\n---\n\nText.\n", "utf-8")
    assert run(source, *args).exit_code == 0
    english = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Signed by 3 organizations" in english and "West Net (West Africa)" in english


def test_portal_render_starts_without_the_app_the_database_or_pandoc(tmp_path):
    """A file render is dispatched before the app factory: neither the portal's app, its
    database layer nor pandoc is imported (Flask comes only with the PDF's own words, whose
    catalogs Flask-Babel holds)."""
    import subprocess
    import sys

    out = tmp_path / "model.pdf"
    script = (
        "import sys\n"
        "from portal.cli import main\n"
        "try:\n"
        f"    main(['render', {str(MODEL)!r}, '-o', {str(out)!r}])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        "heavy = ('sqlalchemy', 'flask_migrate', 'alembic', 'pypandoc', 'portal.app',\n"
        "         'portal.extensions', 'portal.models', 'openpyxl')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]", result.stdout + result.stderr
    assert out.read_bytes().startswith(b"%PDF")


FRENCH_SHELL = {"LANG": "fr_FR.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}


@pytest.mark.parametrize(
    ("source", "csv", "message"),
    [
        ("---\nlead: L\n---\nBody\n", None, "s.md:1: l'en-tête (front matter) doit comporter"),
        ("---\ntitle: T\nfoo: x\n---\nBody\n", None, "s.md:3: champ inconnu « foo »"),
        (SHORT, "A,FR\n,DE\n", "s.csv:2: le nom de l'organisation est vide"),
        (SHORT, "organization,country\nA,FR\nB only\n", "s.csv:3: 2 colonnes attendues"),
    ],
)
def test_messages_follow_the_shells_language(tmp_path, source, csv, message):
    """LANG=fr_FR.UTF-8 gives French messages, still FILE:LINE: message and exit 2; the file's
    own `lang` does not choose them."""
    (tmp_path / "s.md").write_text(source, encoding="utf-8")
    args = [str(tmp_path / "s.md"), "-o", str(tmp_path / "out.pdf")]
    if csv is not None:
        (tmp_path / "s.csv").write_text(csv, encoding="utf-8")
        args += ["--signatories", str(tmp_path / "s.csv")]
    result = CliRunner().invoke(render_command, args, env=FRENCH_SHELL)
    assert result.exit_code == 2
    assert "Erreur : " in result.output and message in result.output
    assert not (tmp_path / "out.pdf").exists()


def test_a_french_shell_reports_in_french_whatever_the_files_language(tmp_path):
    source = tmp_path / "s.md"
    source.write_text("---\ntitle: Statement\nlang: es\n---\n\nText.\n", "utf-8")
    out = tmp_path / "s.html"
    args = [str(source), "-o", str(out), "--format", "html"]
    french = CliRunner().invoke(render_command, args, env=FRENCH_SHELL)
    assert french.exit_code == 0, french.output
    assert "0 signataires" in french.output and "octets" in french.output
    # The document itself still speaks the front matter's language.
    assert '<html lang="es"' in out.read_text(encoding="utf-8")
    english = CliRunner().invoke(render_command, args, env={**FRENCH_SHELL, "LANG": "C.UTF-8"})
    assert "0 signatories" in english.output and "bytes" in english.output
