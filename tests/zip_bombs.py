"""Word documents built to hurt: a ZIP whose headers lie about its sizes, and honest ones that
unpack to far more than any statement. The lying one is a real Word document (pandoc converts
it: the old import spent 40 s and 1.1 GB on 120 MB of it)."""

import io
import struct
import zipfile
from functools import lru_cache

_PARAGRAPH = b"<w:p><w:r><w:t>" + b"a" * 40 + b"</w:t></w:r></w:p>"
_W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@lru_cache(maxsize=1)
def _real_docx_parts() -> tuple:
    """The parts of a small real .docx, but its text."""
    import tempfile
    from pathlib import Path

    import pypandoc

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "s.docx"
        pypandoc.convert_text("Text.", "docx", format="markdown", outputfile=str(path))
        with zipfile.ZipFile(path) as archive:
            return tuple(
                (name, archive.read(name))
                for name in archive.namelist()
                if name != "word/document.xml"
            )


def docx_with_document(megabytes: float, members: int = 0) -> bytes:
    """A ZIP with word/document.xml of `megabytes` MB of paragraphs (compressing ~1000:1) and
    `members` extra small files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as document:
            document.write(b'<?xml version="1.0"?><w:document><w:body>')
            block = _PARAGRAPH * 1024
            for _ in range(int(megabytes * 1024 * 1024) // len(block)):
                document.write(block)
            document.write(b"</w:body></w:document>")
        for number in range(members):
            archive.writestr(f"word/extra{number}.xml", "<x/>")
    return buffer.getvalue()


def lying_docx(megabytes: float = 120, claimed: int = 1000) -> bytes:
    """docx_with_document(megabytes) whose local and central headers claim `claimed` bytes
    unpacked for every member (what the issue's 322 KB → 120 MB upload did)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, part in _real_docx_parts():
            archive.writestr(name, part)
        with archive.open("word/document.xml", "w") as document:
            document.write(b'<?xml version="1.0"?><w:document xmlns:w="' + _W + b'"><w:body>')
            block = _PARAGRAPH * 1024
            for _ in range(int(megabytes * 1024 * 1024) // len(block)):
                document.write(block)
            document.write(b"</w:body></w:document>")
    data = bytearray(buffer.getvalue())
    # (signature, offset of the uncompressed size): local header, central directory entry, and
    # the data descriptor written after a streamed member.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24), (b"PK\x07\x08", 12)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            struct.pack_into("<I", data, start + offset, claimed)
            start += 4
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert all(info.file_size == claimed for info in archive.infolist())
    return bytes(data)
