"""Word documents, unpacked with bounds: a .docx is a ZIP whose headers may lie.

The sizes written in a ZIP are the sender's claim: a 300 KB upload can say "1 KB" and unpack to
120 MB. So nothing here trusts them. Each part pandoc needs is decompressed as a stream and its
bytes counted while reading, with a hard cap per part, on the total and on the compression
ratio; a part whose real bytes disagree with its header fails its CRC check and is refused. The
parts that pass are written into a new archive (honest headers, no images or embedded objects)
and only that archive reaches pandoc, which runs bounded in time and memory (run_pandoc).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import OperationError
from ..text.pandoc import PandocError, run_pandoc

NOT_DOCX = _l("This is not a Word document (.docx); it cannot be read.")
DAMAGED = _l("The Word document could not be read; it may be damaged. Try saving it again.")
LYING = _l(
    "The Word document is damaged: its contents do not match the sizes written in it, so it "
    "is not imported. Save it again from your word processor and upload that copy."
)
TOO_LARGE = _l(
    "The Word document unpacks to far more text than a statement holds ({detail}); "
    "it cannot be imported. Save it again without extra content, or paste the text."
)

MAX_MEMBERS = 1000
# One XML part (word/document.xml holds the whole text: ~15 bytes of markup per character, so
# 8 MB is several times the longest statement the editor accepts).
MAX_PART_BYTES = 8 * 1024 * 1024
MAX_UNPACKED_BYTES = 24 * 1024 * 1024
# Word's XML compresses 5–20 times; a part that unpacks to more than this was built to.
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # small parts may compress well without harm
# Above this much XML an import is converted by the background worker (when there is one).
LARGE_UNPACKED_BYTES = 1024 * 1024
PANDOC_TIMEOUT = 30
PANDOC_HEAP_MB = 512
CHUNK = 64 * 1024

# What pandoc's Word reader uses: the text, its styles, lists, notes and their relationships.
_KEPT = re.compile(r"^(\[Content_Types\]\.xml|_rels/\.rels|docProps/core\.xml|word/[^/]+\.xml)$")
_KEPT_RELS = re.compile(r"^word/_rels/[^/]+\.xml\.rels$")
# Images go in empty, unread: the dialect prints none, but pandoc drops an image it cannot find
# together with its alt text, which the import keeps.
_MEDIA = re.compile(r"^word/media/[^/]+$")
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


@dataclass(frozen=True)
class CheckedDocx:
    """The parts of a Word document that passed the checks, repacked for pandoc."""

    data: bytes
    unpacked: int  # bytes of XML actually read

    @property
    def large(self) -> bool:
        return self.unpacked > LARGE_UNPACKED_BYTES


def _too_large(detail: str) -> OperationError:
    return OperationError(TOO_LARGE.format(detail=detail), "file")


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The part's bytes, decompressed chunk by chunk and counted, never more than the caps."""
    if info.compress_type not in _COMPRESSIONS or info.flag_bits & 0x1:
        raise OperationError(DAMAGED, "file")  # encrypted, or a compression Word never writes
    if info.file_size > MAX_PART_BYTES:
        raise _too_large(f"{info.filename} is over {MAX_PART_BYTES // 2**20} MB")
    cap = min(MAX_PART_BYTES, budget)
    chunks, count = [], 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            count += len(chunk)
            if count > MAX_PART_BYTES:
                raise _too_large(f"{info.filename} is over {MAX_PART_BYTES // 2**20} MB")
            if count > cap:
                raise _too_large(f"over {MAX_UNPACKED_BYTES // 2**20} MB in all")
            # compress_size is the header's claim too; the caps above hold whatever it says.
            if count > RATIO_FLOOR and count > MAX_RATIO * max(info.compress_size, 1):
                raise _too_large(f"{info.filename} is compressed over {MAX_RATIO} times")
            chunks.append(chunk)
    return b"".join(chunks)


def check_docx(data: bytes) -> CheckedDocx:
    """The Word document's text parts, read within bounds, or an OperationError for the file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise OperationError(NOT_DOCX, "file") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _too_large(f"{len(infos):,} files inside")
        names = [i.filename for i in infos]
        if "word/document.xml" not in names:
            raise OperationError(NOT_DOCX, "file")
        if len(set(names)) != len(names):
            raise OperationError(DAMAGED, "file")  # which copy would pandoc read?
        kept, total = {}, 0
        for info in infos:
            if _MEDIA.match(info.filename):
                kept[info.filename] = b""
                continue
            if not (_KEPT.match(info.filename) or _KEPT_RELS.match(info.filename)):
                continue
            try:
                kept[info.filename] = part = _read_part(archive, info, MAX_UNPACKED_BYTES - total)
            except (zipfile.BadZipFile, EOFError):
                # The bytes ran past (or short of) what the header promised: a CRC mismatch.
                raise OperationError(LYING, "file") from None
            # zipfile raises NotImplementedError for a compression method it cannot read.
            except (OSError, ValueError, NotImplementedError):
                raise OperationError(DAMAGED, "file") from None
            total += len(part)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as clean:
        for name, part in kept.items():
            clean.writestr(name, part)
    return CheckedDocx(data=buffer.getvalue(), unpacked=total)


def docx_to_markdown(checked: CheckedDocx, output_format: str) -> str:
    """pandoc's Markdown of a checked document, or an OperationError for the file."""
    args = ["--from=docx", f"--to={output_format}", "--wrap=none", "--standalone"]
    try:
        output = run_pandoc(args, checked.data, timeout=PANDOC_TIMEOUT, heap_mb=PANDOC_HEAP_MB)
    except PandocError as exc:
        if "longer than" in str(exc) or "heap" in str(exc).lower():
            raise OperationError(
                _("The Word document is too large or complex to convert; it cannot be imported."),
                "file",
            ) from None
        raise OperationError(DAMAGED, "file") from None
    return output.decode("utf-8", "replace").replace("\r\n", "\n")
