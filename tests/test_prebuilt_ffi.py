"""WeasyPrint's C declarations loaded compiled (portal/pdf/prebuilt_ffi.py): the same PDF, bytes
for bytes, without pycparser at start; anything unexpected falls back to WeasyPrint's own parse."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import weasyprint.text.ffi

from portal.pdf import prebuilt_ffi

from .pdf_helpers import MODEL

ROOT = Path(__file__).resolve().parent.parent

# Renders the model statement in a fresh process; WEASYPRINT_FIRST imports WeasyPrint before the
# portal, so that its declarations are parsed as WeasyPrint alone would.
RENDER = """
import sys
if sys.argv[1] == "weasyprint-first":
    import weasyprint
from portal.render_cli import render_command
try:
    render_command.main([{model!r}, "-o", sys.argv[2]])
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
import weasyprint.text.ffi as ffi_module
print("pycparser" in sys.modules, type(ffi_module.ffi).__module__)
"""


def _render(tmp_path: Path, mode: str) -> tuple[bytes, str]:
    out = tmp_path / f"{mode}.pdf"
    result = subprocess.run(
        [sys.executable, "-c", RENDER.format(model=str(MODEL)), mode, str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return out.read_bytes(), result.stdout.splitlines()[-1]


def test_make_install_compiled_the_declarations_of_the_installed_weasyprint():
    assert prebuilt_ffi.COMPILED.is_file(), "run `make install`"
    source = prebuilt_ffi.weasyprint_ffi_source()
    match = prebuilt_ffi._IN_LINE.search(source.read_text(encoding="utf-8"))
    assert match is not None, "WeasyPrint's ffi.py changed shape: see prebuilt_ffi.py"
    assert prebuilt_ffi._compiled_ffi(match.group(1)) is not None


def test_same_pdf_without_parsing_the_declarations(tmp_path):
    compiled_pdf, compiled_state = _render(tmp_path, "portal-first")
    parsed_pdf, parsed_state = _render(tmp_path, "weasyprint-first")
    assert compiled_state == "False _cffi_backend"  # no pycparser: nothing was parsed
    assert parsed_state.startswith("True")
    assert compiled_pdf == parsed_pdf
    assert compiled_pdf.startswith(b"%PDF")


def _load_through_finder(compiled: Path):
    finder = prebuilt_ffi._Finder(compiled)
    sys.meta_path.insert(0, finder)
    try:
        spec = finder.find_spec(prebuilt_ffi.TARGET)
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
    if spec is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_compiled_module_gives_weasyprint_the_same_types_and_libraries(tmp_path):
    compiled = prebuilt_ffi.compile_declarations(tmp_path / "declarations.py")
    module = _load_through_finder(compiled)
    assert module is not None
    assert module.__file__ == str(prebuilt_ffi.weasyprint_ffi_source())
    parsed = weasyprint.text.ffi.ffi
    types = ("PangoGlyphInfo", "PangoGlyphString", "PangoAnalysis", "GSList", "PangoWrapMode")
    for type_name in types:
        assert module.ffi.sizeof(type_name) == parsed.sizeof(type_name), type_name
    assert module.pango.pango_units_from_double(1) == weasyprint.text.ffi.TO_UNITS
    assert module.TO_UNITS == weasyprint.text.ffi.TO_UNITS
    assert module.harfbuzz_subset is not None


@pytest.mark.parametrize(
    "header",
    [
        "# declarations 0000",  # another WeasyPrint's (or another cffi's) declarations
        "",  # not ours at all
    ],
)
def test_a_compiled_module_for_other_declarations_is_not_used(tmp_path, header):
    compiled = prebuilt_ffi.compile_declarations(tmp_path / "declarations.py")
    text = compiled.read_text(encoding="utf-8")
    compiled.write_text(header + "\n" + text.partition("\n")[2], encoding="utf-8")
    assert _load_through_finder(compiled) is None


def test_an_ffi_py_of_another_shape_is_left_to_weasyprint(tmp_path, monkeypatch):
    other = tmp_path / "ffi.py"
    other.write_text("import cffi\nffi = cffi.FFI()\nffi.cdef(DECLARATIONS)\n", encoding="utf-8")
    monkeypatch.setattr(prebuilt_ffi, "weasyprint_ffi_source", lambda: other)
    assert prebuilt_ffi.compile_declarations(tmp_path / "declarations.py") is None
    assert not (tmp_path / "declarations.py").exists()
    assert _load_through_finder(prebuilt_ffi.COMPILED) is None


def test_not_installed_once_weasyprint_is_imported(tmp_path):
    # This process imported WeasyPrint already: a finder now would never be asked.
    assert prebuilt_ffi.use_prebuilt_declarations() is False
    assert not any(isinstance(f, prebuilt_ffi._Finder) for f in sys.meta_path)
