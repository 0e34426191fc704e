"""Word import within bounds (issue 9, finding 4): sizes written in the ZIP are never trusted,
the XML read is counted and capped, pandoc runs limited in time and memory, and a refused file
writes nothing."""

import io

import pytest
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import AuditEvent, Revision, Statement
from portal.statements import docx
from portal.statements.importing import read_statement_file
from tests.helpers.clients import signed_in

from .zip_bombs import docx_with_document, lying_docx


@pytest.fixture(scope="module")
def bomb():
    return lying_docx(megabytes=120)


def _counts():
    return [db.session.scalar(select(func.count(m.id))) for m in (Statement, Revision, AuditEvent)]


def test_a_lying_zip_is_refused_next_to_the_file_field(app, people, make_round, bomb):
    assert len(bomb) < 2 * 1024 * 1024  # it passes the upload limit: the check is inside
    round_ = make_round()
    client = signed_in(app, people["member"])
    form = {"lead": people["org"].id, "area": round_.areas[0].id, "language": "en"}
    before = _counts()
    # How fast it is refused is printed by `make bench` (bench/bench_import.py).
    response = client.post(
        f"/rounds/{round_.slug}/statements/import",
        data={**form, "file": (io.BytesIO(bomb), "statement.docx")},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # Next to the field: the form macro renders the field's errors right after it.
    file_field = page[page.index('name="file"') :]
    assert "do not match the sizes written in it" in file_field[: file_field.index("</button>")]
    assert _counts() == before and before[:2] == [0, 0]


@pytest.mark.parametrize(
    "data, message",
    [
        (lambda: docx_with_document(30), "word/document.xml is over 8 MB"),
        (lambda: docx_with_document(0.01, members=docx.MAX_MEMBERS), "files inside"),
    ],
    ids=["honest-but-huge", "too-many-members"],
)
def test_honest_archives_too_large_are_refused(data, message):
    with pytest.raises(OperationError, match=message) as error:
        read_statement_file("s.docx", data())
    assert error.value.field == "file"


def test_bytes_are_counted_while_reading_whatever_the_header_says(monkeypatch):
    """A header that claims less than the caps does not let more through: reading stops at the
    cap (here lowered to 64 KB) before the header's claim is ever checked."""
    monkeypatch.setattr(docx, "MAX_PART_BYTES", 64 * 1024)
    data = lying_docx(megabytes=1, claimed=60 * 1024)
    with pytest.raises(OperationError, match="over 0 MB|do not match"):
        docx.check_docx(data)
    monkeypatch.setattr(docx, "MAX_PART_BYTES", 8 * 1024 * 1024)
    monkeypatch.setattr(docx, "MAX_UNPACKED_BYTES", 512 * 1024)
    with pytest.raises(OperationError, match="in all"):
        docx.check_docx(docx_with_document(1))


def test_compression_ratio_is_capped(monkeypatch):
    monkeypatch.setattr(docx, "RATIO_FLOOR", 64 * 1024)
    with pytest.raises(OperationError, match="compressed over 100 times"):
        docx.check_docx(docx_with_document(2))


def test_pandoc_gets_only_the_checked_text_parts(monkeypatch):
    """What reaches pandoc is a new archive: the text parts read, images as empty files,
    nothing else (no embedded objects, no unread bytes)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.png", b"\x89PNG" + b"x" * 5000)
        archive.writestr("word/embeddings/oleObject1.bin", b"x" * 5000)
    checked = docx.check_docx(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(checked.data)) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}
    assert sizes == {"[Content_Types].xml": 8, "word/document.xml": 13, "word/media/image1.png": 0}


def test_pandoc_runs_bounded(monkeypatch):
    """Conversion goes through run_pandoc with the import's time and memory limits; running out
    of either is a clear refusal for the file."""
    from portal.text import pandoc

    seen = {}

    def fake(args, data, *, timeout, heap_mb):
        seen.update(args=args, timeout=timeout, heap_mb=heap_mb)
        raise pandoc.PandocError(f"pandoc took longer than {timeout:g} s")

    monkeypatch.setattr(docx, "run_pandoc", fake)
    with pytest.raises(OperationError, match="too large or complex") as error:
        read_statement_file("s.docx", docx_with_document(0.1))
    assert error.value.field == "file"
    assert seen == {
        "args": seen["args"],
        "timeout": docx.PANDOC_TIMEOUT,
        "heap_mb": docx.PANDOC_HEAP_MB,
    }
    assert "--from=docx" in seen["args"]


def test_images_keep_their_alt_text(tmp_path):
    import struct
    import zlib

    import pypandoc

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")
    (tmp_path / "x.png").write_bytes(png)
    source = f"Hello ![alt words]({tmp_path / 'x.png'}) world.\n"
    out = tmp_path / "s.docx"
    pypandoc.convert_text(source, "docx", format="markdown", outputfile=str(out))
    assert read_statement_file("s.docx", out.read_bytes()).body == "Hello alt words world.\n"


def test_a_large_import_is_converted_by_the_worker_and_its_page_opens_the_draft(
    app,
    people,
    make_round,
    redis_queue,
    monkeypatch,
    tmp_path,
):
    """With Redis, a .docx over LARGE_UNPACKED_BYTES (lowered here) is converted by the worker:
    the upload answers with a page that waits (202, reloading), and once the job has run it
    opens the new draft. Only the person who uploaded it can follow the job."""
    import pypandoc

    monkeypatch.setattr(docx, "LARGE_UNPACKED_BYTES", 100)
    path = tmp_path / "s.docx"
    pypandoc.convert_text("# The title\n\nSome text[^1].\n\n[^1]: A note.\n", "docx",
                          format="markdown", outputfile=str(path))  # fmt: skip
    round_ = make_round()
    client = signed_in(app, people["member"])
    form = {"lead": people["org"].id, "area": round_.areas[0].id, "language": "en"}
    url = f"/rounds/{round_.slug}/statements/import"
    response = client.post(url, data={**form, "file": (io.BytesIO(path.read_bytes()), "s.docx")})
    assert response.status_code == 302
    status_url = response.headers["Location"]
    assert status_url.startswith("/imports/")
    waiting = client.get(status_url)
    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "2"
    assert '<meta http-equiv="refresh" content="2">' in waiting.get_data(as_text=True)
    assert _counts()[0] == 0 and redis_queue.queue.count == 1
    assert signed_in(app, people["signatory"]).get(status_url).status_code == 404

    redis_queue.work()
    done = client.get(status_url)
    statement = db.session.scalar(select(Statement))
    assert done.status_code == 302 and done.headers["Location"] == f"/statements/{statement.id}"
    assert statement.current_revision.title == "The title"
    assert "text[^1]" in statement.current_revision.body
    assert statement.current_revision.note == "Imported from s.docx"

    # A refusal found by the worker is shown on the waiting page, with the way back.
    pypandoc.convert_text("", "docx", format="markdown", outputfile=str(path))
    response = client.post(url, data={**form, "file": (io.BytesIO(path.read_bytes()), "e.docx")})
    redis_queue.work()
    refused = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The file was not imported: The file has no text in it." in refused
    assert f'href="/rounds/{round_.slug}/statements/import"' in refused
    assert db.session.scalar(select(func.count(Statement.id))) == 1
