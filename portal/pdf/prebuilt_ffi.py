"""WeasyPrint's C declarations compiled once, not parsed at every start.

`weasyprint.text.ffi` hands about 450 lines of C declarations (Pango, HarfBuzz, fontconfig) to
cffi's in-line ABI mode, which parses them with pycparser at every import: 0.21 s of the 0.5 s
that importing the render path takes, a fifth of a whole `portal render` (issue 15). cffi's
out-of-line ABI mode compiles the same declarations into a small Python module that loads in
about 2 ms. `make install` writes that module (`compile_declarations()`) beside this
file, headed by the SHA-256 of the declarations and cffi's version; `use_prebuilt_declarations()`
then lets WeasyPrint's own `ffi.py` run with the compiled declarations in place of its parse.

Anything unexpected — no compiled module, another WeasyPrint whose declarations differ, another
cffi, a `ffi.py` shaped otherwise — leaves WeasyPrint to import as it always does: this can only
make the start faster, never change what is drawn.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path

import cffi

TARGET = "weasyprint.text.ffi"
COMPILED = Path(__file__).with_name("_weasyprint_declarations.py")
# The two statements that build WeasyPrint's FFI object; group 1 is the declarations.
_IN_LINE = re.compile(r"^ffi = cffi\.FFI\(\)\nffi\.cdef\('''(.*?)'''\)$", re.S | re.M)
_STAND_IN = "ffi = __compiled_ffi__"


def weasyprint_ffi_source() -> Path | None:
    """WeasyPrint's ffi.py, found without importing WeasyPrint (which would parse it)."""
    spec = importlib.util.find_spec("weasyprint")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "text" / "ffi.py"
    return path if path.is_file() else None


def declarations_key(declarations: str) -> str:
    digest = hashlib.sha256(declarations.encode())
    digest.update(cffi.__version__.encode())
    return digest.hexdigest()


def compile_declarations(target: Path = COMPILED) -> Path | None:
    """Write the compiled module for the installed WeasyPrint and cffi; None when ffi.py does not
    have the expected shape (then nothing is written and WeasyPrint parses as before)."""
    source_path = weasyprint_ffi_source()
    if source_path is None:
        return None
    match = _IN_LINE.search(source_path.read_text(encoding="utf-8"))
    if match is None:
        return None
    builder = cffi.FFI()
    builder.set_source("_weasyprint_declarations", None)
    builder.cdef(match.group(1))
    with tempfile.TemporaryDirectory() as work:
        builder.compile(tmpdir=work)
        compiled = (Path(work) / "_weasyprint_declarations.py").read_text(encoding="utf-8")
    header = f"# declarations {declarations_key(match.group(1))}\n"
    partial = target.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(header + compiled, encoding="utf-8")
    partial.replace(target)
    return target


def _compiled_ffi(declarations: str, compiled: Path = COMPILED):
    try:
        text = compiled.read_text(encoding="utf-8")
    except OSError:
        return None
    header, _, body = text.partition("\n")
    if header != f"# declarations {declarations_key(declarations)}":
        return None
    namespace: dict = {}
    exec(compile(body, str(compiled), "exec"), namespace)  # noqa: S102 (our own build output)
    return namespace["ffi"]


class _Loader(importlib.abc.Loader):
    """Runs WeasyPrint's ffi.py with its FFI-building statements swapped for the compiled FFI
    (same line count, so tracebacks still point at WeasyPrint's lines)."""

    def __init__(self, source_path: Path, code: str, ffi):
        self.source_path, self.code, self.ffi = source_path, code, ffi

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        module.__dict__["__compiled_ffi__"] = self.ffi
        exec(compile(self.code, str(self.source_path), "exec"), module.__dict__)  # noqa: S102


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, compiled: Path):
        self.compiled = compiled

    def find_spec(self, fullname, path=None, target=None):
        if fullname != TARGET:
            return None
        sys.meta_path.remove(self)  # one module, once
        source_path = weasyprint_ffi_source()
        if source_path is None:
            return None
        source = source_path.read_text(encoding="utf-8")
        match = _IN_LINE.search(source)
        ffi = _compiled_ffi(match.group(1), self.compiled) if match else None
        if match is None or ffi is None:
            return None
        stand_in = _STAND_IN + "\n" * match.group(0).count("\n")
        code = source[: match.start()] + stand_in + source[match.end() :]
        spec = importlib.machinery.ModuleSpec(
            fullname, _Loader(source_path, code, ffi), origin=str(source_path)
        )
        spec.has_location = True  # sets the module's __file__, as a normal import would
        return spec


def use_prebuilt_declarations(compiled: Path = COMPILED) -> bool:
    """Install the finder unless WeasyPrint is imported already; True when installed."""
    if TARGET in sys.modules or not compiled.is_file():
        return False
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder(compiled))
    return True
