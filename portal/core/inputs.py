"""Input the database cannot hold is refused at the door, as a 400 or a 404, never a 500.

- NUL bytes: PostgreSQL refuses them in text (SQLite stores them and the PDF renderer chokes);
  every request is checked once here — path, query string, form fields and names, file names and
  JSON — and refused with a 400 before any view runs.
- Ids beyond the database's integer: `<int:…>` in every URL rule is bounded, so
  /statements/99999999999 is a 404; query parameters and form fields that carry ids or numbers
  are read with `bounded_int` / `parse_id`.

error_pages.py keeps a net behind these: a value the database still refuses (a DataError, or
SQLite's OverflowError for an integer beyond 64 bits) is answered 400 after a rollback.
"""

from flask import abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

# PostgreSQL's `integer`, the type of every id column.
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)
NUL_REFUSED = _l("The request contains a NUL character, which the portal does not accept.")


class BoundedIntConverter(IntegerConverter):
    """The `int` of URL rules, bounded to the database's integer."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def bounded_int(value) -> int:
    """For `request.args.get(name, default, type=bounded_int)`: a number the database can hold;
    anything else raises ValueError, so the default applies."""
    number = int(value)
    if not MIN_INT <= number <= MAX_INT:
        raise ValueError(f"{value!r} is out of range")
    return number


def parse_id(value) -> int | None:
    """A submitted id (form field, query parameter): a positive integer in range, else None."""
    try:
        number = bounded_int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul_bytes():
    if "\x00" in request.path:
        abort(400, NUL_REFUSED)
    for source in (request.args, request.form):
        for key, values in source.lists():
            if _has_nul(key) or _has_nul(values):
                abort(400, NUL_REFUSED)
    for upload in request.files.values():
        if _has_nul(upload.filename or ""):
            abort(400, NUL_REFUSED)
    if request.is_json and _has_nul(request.get_json(silent=True)):
        abort(400, NUL_REFUSED)


def init_app(app) -> None:
    """Called before any blueprint is registered: a rule takes its converter when it is added."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_nul_bytes)
