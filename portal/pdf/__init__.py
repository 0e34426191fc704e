"""HTML → PDF: the statement document, the safe URL fetcher, WeasyPrint with checked footnotes.

Public API: :class:`Signatory`, :class:`StatementDocument`, :func:`render_statement_html`,
:func:`render_statement_pdf`, :func:`statement_section_html` (one statement as a
``<section class="statement">`` for longer documents), :func:`write_pdf`, :func:`safe_fetcher`,
:class:`SafeURLFetcher`, ``STATIC_BASE_URL``. No Flask app or database needed.
"""

from .prebuilt_ffi import use_prebuilt_declarations

# Before anything imports WeasyPrint: its C declarations then load compiled (prebuilt_ffi.py).
use_prebuilt_declarations()

from .document import (  # noqa: E402
    ListBreakdown,
    Signatory,
    StatementDocument,
    render_statement_html,
    render_statement_pdf,
    statement_section_html,
    template_environment,
)
from .fetcher import STATIC_BASE_URL, RefusedURL, SafeURLFetcher, safe_fetcher  # noqa: E402
from .writer import misplaced_footnotes, render_document, write_pdf  # noqa: E402

__all__ = [
    "STATIC_BASE_URL",
    "ListBreakdown",
    "RefusedURL",
    "SafeURLFetcher",
    "Signatory",
    "StatementDocument",
    "misplaced_footnotes",
    "render_document",
    "render_statement_html",
    "render_statement_pdf",
    "safe_fetcher",
    "statement_section_html",
    "template_environment",
    "write_pdf",
]
