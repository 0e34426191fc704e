"""Word import budgets: a ZIP whose headers lie about its sizes (a real 120 MB document in a
few hundred KB) and honest archives too large to import are refused in under 2 s each — reading
stops at the caps instead of unpacking (tests/test_import_bounds.py checks that they are refused,
and where reading stops)."""

import time

REFUSAL_BUDGET_S = 2.0


def _refusal_seconds(filename: str, data: bytes) -> float:
    from portal.errors import OperationError
    from portal.statements.importing import read_statement_file

    started = time.perf_counter()
    try:
        read_statement_file(filename, data)
    except OperationError:
        return time.perf_counter() - started
    raise AssertionError(f"{filename} was not refused")


def run() -> list[str]:
    from portal.statements import docx
    from tests.zip_bombs import docx_with_document, lying_docx

    cases = {
        "lying ZIP, 120 MB unpacked": lying_docx(megabytes=120),
        "honest ZIP, 30 MB document": docx_with_document(30),
        f"honest ZIP, {docx.MAX_MEMBERS} members": docx_with_document(
            0.01, members=docx.MAX_MEMBERS
        ),
    }
    lines = []
    for label, data in cases.items():
        seconds = _refusal_seconds("statement.docx", data)
        verdict = "ok" if seconds < REFUSAL_BUDGET_S else "OVER BUDGET"
        lines.append(
            f"import refused, {label}: {seconds * 1000:.1f} ms "
            f"(aim < {REFUSAL_BUDGET_S * 1000:.0f} ms) {verdict}"
        )
    return lines
