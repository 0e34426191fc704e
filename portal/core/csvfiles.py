"""Every CSV the portal writes, and the CSVs it reads, go through here.

Writing: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to spreadsheet programs (``=HYPERLINK(…)``, ``@SUM(…)``, DDE): it gets a leading ``'``
so it is shown as text. Organization names and websites come from strangers (the public form, an
imported file), so no export may skip this — the XLSX writer uses the same `neutralize`.

Reading: the csv module refuses a field longer than its limit (128 KiB) with an exception that
would be a 500; here it is a `CSVError` naming the line, like any other bad row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask_babel import gettext

from ..locale_formats import format_number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CSVError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def neutralize(value):
    """The cell as a spreadsheet shows it as text (numbers and dates are left alone)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(columns: Iterable[str], rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralize(c) for c in columns])
    for row in rows:
        writer.writerow([neutralize(v) for v in row])
    return buffer.getvalue()


def read_csv(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each record of `text` (a leading BOM ignored); CSVError with
    the line number on a field over the csv module's limit or a malformed record."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                limit = csv.field_size_limit()
                message = gettext(
                    "a field is longer than %(limit)s characters; is the file a CSV?",
                    limit=format_number(limit),
                )
                raise CSVError(start, message) from None
            raise CSVError(
                start, gettext("not a valid CSV record (%(error)s)", error=error)
            ) from None
        yield start, row
