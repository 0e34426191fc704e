"""The official PDF as it would be compiled if the coordinator approved now: the submitted text
with the signatories the approval would freeze, marked as a preview (never stored)."""

from ..core.i18n import N_, document_gettext
from ..pdf import StatementDocument, render_statement_pdf
from .official import statement_document

# In the statement's language, as the PDF's other words and a draft's watermark (whoever reads it).
PREVIEW_LABEL = N_("PREVIEW — not yet approved")


def preview_document(statement) -> StatementDocument:
    # Without an approval, statement_document prints the live list of portal/signons/listing.py:
    # the list approving would freeze, so the preview cannot drift from the official PDF. Who is
    # left out, and why, is on the review page beside it.
    label = document_gettext(statement.language, PREVIEW_LABEL)
    return statement_document(statement, draft_label=label)


def preview_pdf(statement, paper: str = "a4") -> bytes:
    document = preview_document(statement)
    document.paper = paper
    return render_statement_pdf(document)
