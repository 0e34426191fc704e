"""The official PDF of an approved statement: the approved revision and its published signatory
list (frozen at approval, or as last corrected), compiled once per list and stored as an
artifact; downloads serve the stored bytes, and a correction's new list gives a new artifact while
the old one stays."""

import re
import unicodedata

from ..models import ArtifactKind, Review
from ..pdf import ListBreakdown, StatementDocument, render_statement_pdf
from ..signons.listing import Entry, approval, signatory_list
from ..venues.statement_checks import list_breakdown
from . import artifacts


def statement_document(
    statement, review: Review | None = None, translation=None, *, official=False, **options
) -> StatementDocument:
    """The document of the approved text when `review` is given, else of the current text; in
    the words of `translation` (a TranslationRevision) when given — with the original's date
    and signatory list, since the signatures bind to the original. `official`: the delivered
    file, with the list's breakdown (see official_inputs)."""
    revision = review.revision if review is not None else statement.current_revision
    text = translation if translation is not None else revision
    round_ = statement.round
    when = (review.created_at if review is not None else revision.created_at).astimezone(round_.tz)
    # Who is listed and nothing else: who is not, and why, is for the coordinator's pages.
    entries = signatory_list(statement, review)
    signatories = [entry.signatory() for entry in entries]
    if official:
        options["breakdown"] = breakdown_of(entries)
    return StatementDocument(
        title=text.title,
        body=text.body,
        process=round_.process.title,
        round=round_.title,
        date=when.date(),
        lead=statement.lead_organization.name,
        language=language_of(statement, translation),
        signatories=signatories,
        signatory_order=statement.signatory_order,
        **options,
    )


def breakdown_of(entries: list[Entry]) -> ListBreakdown:
    counted = list_breakdown(entries)
    return ListBreakdown(counted.organizations, counted.countries, counted.in_ecosoc_status)


def slug(text: str, limit: int = 60) -> str:
    """A file-name part: ASCII words joined by hyphens, cut after a whole word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > limit:
        cut = words[: limit + 1].rfind("-")
        words = words[:cut] if cut > 0 else words[:limit]
    return words or "x"


def language_of(statement, translation=None) -> str:
    return translation.translation.language if translation is not None else statement.language


def official_key(statement, review: Review, translation=None) -> str:
    """The key of the official PDF: of the original, or of one language's `translation` (a
    TranslationRevision; the original's key is unchanged, so its stored files stay valid)."""
    inputs = {
        "statement": statement.id,
        "revision": review.revision_id,
        "text_hash": review.revision.text_hash,
        # The list's hash, stored with the approval and each correction: a download does not
        # load and hash a list of 1,500 rows to find its file.
        "signatories": review.list_hash,
        "language": language_of(statement, translation),
        "order": statement.signatory_order,
        # How many listed organizations are in ECOSOC status changes with a coordinator's
        # verification after approval: the breakdown the PDF prints is part of its key.
        "breakdown": list(breakdown_of(signatory_list(statement, review))),
    }
    if translation is not None:
        inputs["translation"] = {"revision": translation.id, "text_hash": translation.text_hash}
    return artifacts.make_key(ArtifactKind.STATEMENT_PDF, inputs)


def official_filename(statement, review: Review, ext: str = "pdf", translation=None) -> str:
    """Named after the original's title (an ASCII slug), with the language of a translation."""
    suffix = f"-{language_of(statement, translation)}" if translation is not None else ""
    return f"{slug(review.revision.title)}-{statement.id}{suffix}.{ext}"


def official_pdf(statement, review: Review | None = None, translation=None):
    """The stored official PDF artifact of an approved statement (compiled when missing), in
    the original or in the language of `translation`."""
    review = review or approval(statement)
    if review is None:
        raise ValueError("only approved statements have an official PDF")
    key = official_key(statement, review, translation)
    existing = artifacts.find(key)
    if existing is not None:
        return existing
    document = statement_document(statement, review, translation, official=True)
    # Laid out inside store's lock: of builders racing, one renders (artifacts.build_once).
    # The renderer takes the document's language (typography per language, portal/pdf).
    return artifacts.store(
        key,
        ArtifactKind.STATEMENT_PDF,
        lambda path: path.write_bytes(render_statement_pdf(document)),
        filename=official_filename(statement, review, translation=translation),
        content_type="application/pdf",
        statement=statement,
    )
