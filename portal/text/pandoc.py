"""pandoc, bounded: the one way the portal runs it, for Word import and DOCX export.

pandoc can read files and fetch URLs named in a document (images, includes). It always runs with
``--sandbox`` (no file or network access beyond its input), a heap cap for its runtime, a CPU-time
limit, and a wall-clock timeout; it runs in a process group of its own so a timeout kills it and
anything it started, instead of leaving it to outlive the web worker that asked.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess

import pypandoc
from flask_babel import gettext as _

from .markdown import ALLOWED_SCHEMES, _allowed_link

TIMEOUT_SECONDS = 20
HEAP_MB = 512


class PandocError(RuntimeError):
    """pandoc failed, ran out of time or memory."""


def _limit_cpu(seconds: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))

    return apply


def run_pandoc(
    args: list[str], data: bytes, *, timeout: float = TIMEOUT_SECONDS, heap_mb: int = HEAP_MB
) -> bytes:
    """pandoc ``args`` on ``data`` (standard input) → its standard output, or PandocError."""
    command = [pypandoc.get_pandoc_path(), "--sandbox", *args, "+RTS", f"-M{heap_mb}m", "-RTS"]
    process = subprocess.Popen(  # noqa: S603 - fixed binary, arguments built here
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_limit_cpu(int(timeout) + 1),  # noqa: PLW1509 - only sets an rlimit
    )
    try:
        out, err = process.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PandocError(f"pandoc took longer than {timeout:g} s") from None
    if process.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise PandocError(
            message[-1]
            if message
            else _("pandoc exited %(returncode)s", returncode=process.returncode)
        )
    return out


def _clean(value):
    """A pandoc JSON AST with no image, no raw markup and no link but http/https/mailto: what
    such an element held as words is kept in its place."""
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if not isinstance(value, list):
        return value
    result = []
    for item in value:
        if not (isinstance(item, dict) and "t" in item):
            result.append(_clean(item))
            continue
        kind = item["t"]
        if kind in ("RawInline", "RawBlock"):
            continue
        if kind == "Image" or (kind == "Link" and not _allowed_link(item["c"][2][0])):
            result.extend(_clean(item["c"][1]))
            continue
        result.append(_clean(item))
    return result


def _meta_text(text: str) -> dict:
    return {"t": "MetaInlines", "c": [{"t": "Str", "c": text}]}


def html_to_docx(
    fragment: str, *, title: str, subtitle: str = "", author: str = "", lang: str = ""
) -> bytes:
    """The portal's sanitized HTML → DOCX bytes. The HTML is read into pandoc's AST, cleaned by
    :func:`_clean` (a second gate behind the sanitizer), given its metadata as plain strings and
    only then written: nothing of the statement can name a file, a URL to fetch or a script."""
    ast = json.loads(run_pandoc(["--from=html", "--to=json"], fragment.encode("utf-8")))
    ast["blocks"] = _clean(ast["blocks"])
    # `lang` (BCP 47) sets the document's language in Word: spelling, hyphenation.
    meta = {"title": title, "subtitle": subtitle, "author": author, "lang": lang}
    ast["meta"] = {key: _meta_text(value) for key, value in meta.items() if value}
    return run_pandoc(["--from=json", "--to=docx"], json.dumps(ast).encode("utf-8"))


__all__ = ["ALLOWED_SCHEMES", "PandocError", "html_to_docx", "run_pandoc"]
