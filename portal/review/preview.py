"""The official PDF as it would be compiled if the coordinator approved now: the submitted text
with the signatories the approval would freeze, marked as a preview (never stored)."""

from ..exports.official import statement_document
from ..exports.signatories import freeze_signatories, signatory_note
from ..pdf import StatementDocument, render_statement_pdf

PREVIEW_LABEL = "PREVIEW — not yet approved"


def preview_document(statement) -> StatementDocument:
    # The listing rule is the approval's own (freeze_signatories), so the preview cannot drift
    # from what approving compiles; only the note about left-out signatures is added here.
    document = statement_document(statement, draft_label=PREVIEW_LABEL)
    document.signatory_note = signatory_note(freeze_signatories(statement)[1])
    return document


def preview_pdf(statement, paper: str = "a4") -> bytes:
    document = preview_document(statement)
    document.paper = paper
    return render_statement_pdf(document)
