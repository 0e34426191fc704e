"""The official PDF of an approved statement: the approved revision and its published signatory
list (frozen at approval, or as last corrected), compiled once per list and stored as an
artifact; downloads serve the stored bytes, and a correction's new list gives a new artifact while
the old one stays."""

import re
import unicodedata
from dataclasses import dataclass

from ..models import ArtifactKind, Review
from ..models.requirements import Grouping
from ..pdf import ListBreakdown, StatementDocument, render_statement_pdf
from ..signatory_order import SignatoryOrder
from ..signons.listing import Entry, approval, signatory_list
from ..statements.translation_queries import standings
from ..venues.delivery import arrange, breakdown
from ..venues.profiles import requirements_for
from ..venues.statement_checks import listed_signers
from ..venues.verification import VenueKeys
from . import artifacts


@dataclass(frozen=True)
class VenueList:
    """The published list as the round's venue wants it delivered (docs/venues.md): who is
    listed, in what order, who goes in the title's footnote or under "also on behalf of", and
    the breakdown of all of them."""

    breakdown: ListBreakdown
    listed: list[Entry]
    title_note: list[Entry]
    also_on_behalf: list[Entry]
    # The venue orders the list itself (alphabetically, by status): no group headings.
    regrouped: bool

    def key_inputs(self, entries: list[Entry]) -> dict:
        """Positions in the published list: its hash is in the key already."""
        position = {id(entry): index for index, entry in enumerate(entries)}
        return {
            "breakdown": list(self.breakdown),
            "listed": [position[id(e)] for e in self.listed],
            "title_note": [position[id(e)] for e in self.title_note],
            "also_on_behalf": [position[id(e)] for e in self.also_on_behalf],
            "regrouped": self.regrouped,
        }


def venue_list(statement, entries: list[Entry]) -> VenueList:
    """`entries` (the published list) under the round's requirements, with each organization's
    verified accreditation as it stands now; the default profile keeps them as they are."""
    requirements = requirements_for(statement.round)
    signers = listed_signers(entries, statement.round.process_id)
    entry_of = {id(signer): entry for signer, entry in zip(signers, entries, strict=True)}
    arranged = arrange(signers, requirements, statement.round.process_id)
    counted = breakdown(signers)
    return VenueList(
        ListBreakdown(counted.organizations, counted.countries, counted.in_ecosoc_status),
        [entry_of[id(s)] for s in arranged.listed],
        [entry_of[id(s)] for s in arranged.title_footnote],
        [entry_of[id(s)] for s in arranged.also_on_behalf],
        regrouped=requirements.grouping != Grouping.ROUND_ORDER,
    )


def statement_document(
    statement, review: Review | None = None, translation=None, *, official=False, **options
) -> StatementDocument:
    """The document of the approved text when `review` is given, else of the current text; in
    the words of `translation` (a TranslationRevision) when given — with the original's date
    and signatory list, since the signatures bind to the original. `official`: the delivered
    file — the list as the venue wants it, with its breakdown (venue_list)."""
    revision = review.revision if review is not None else statement.current_revision
    text = translation if translation is not None else revision
    round_ = statement.round
    when = (review.created_at if review is not None else revision.created_at).astimezone(round_.tz)
    # Who is listed and nothing else: who is not, and why, is for the coordinator's pages.
    entries = signatory_list(statement, review)
    order = statement.signatory_order
    if official:
        delivered = venue_list(statement, entries)
        entries = delivered.listed
        options["breakdown"] = delivered.breakdown
        options["title_note"] = [e.signatory() for e in delivered.title_note]
        options["also_on_behalf"] = [e.signatory() for e in delivered.also_on_behalf]
        order = SignatoryOrder.ALPHABETICAL if delivered.regrouped else order
        options["other_titles"] = other_titles(
            statement, revision, language_of(statement, translation)
        )
    signatories = [entry.signatory() for entry in entries]
    return StatementDocument(
        title=text.title,
        body=text.body,
        process=round_.process.title,
        round=round_.title,
        date=when.date(),
        lead=statement.lead_organization.name,
        language=language_of(statement, translation),
        signatories=signatories,
        signatory_order=order,
        **options,
    )


def other_titles(statement, revision, language: str) -> list[tuple[str, str]]:
    """The title in each language the venue wants it in besides `language` (WTO: English,
    French and Spanish), from the original and its translations — a translation's title even
    when its text is behind the original's: the submission check asks only for the title
    (venues/statement_checks.check_statement refuses a statement missing one)."""
    wanted = requirements_for(statement.round).title_languages
    if not wanted:
        return []
    titles = {s.language: s.revision.title for s in standings(statement, revision)}
    titles[statement.language] = revision.title
    return [
        (code, titles[code]) for code in wanted if code != language and titles.get(code, "").strip()
    ]


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


def _venue_key_inputs(statement, review: Review) -> dict:
    entries = signatory_list(statement, review)
    return venue_list(statement, entries).key_inputs(entries)


# The venue's part of the key needs the published list and its organizations (1,500 rows each):
# worked out once per list, requirements and state of verification, not on every download.
_VENUE_KEYS = VenueKeys(_venue_key_inputs)


def venue_key_inputs(statement, review: Review) -> dict:
    """VenueList.key_inputs of the published list, as venue_list would give it now."""
    return _VENUE_KEYS.get(statement, review, requirements_for(statement.round))


def official_key(statement, review: Review, translation=None) -> str:
    """The key of the official PDF: of the original, or of one language's `translation` (a
    TranslationRevision; the original's key is unchanged, so its stored files stay valid)."""
    inputs = {
        "statement": statement.id,
        "revision": review.revision_id,
        "text_hash": review.revision.text_hash,
        # The list's hash, stored with the approval and each correction: a download does not
        # hash a list of 1,500 rows to find its file (the venue's part below reads the list's
        # stored rows and their organizations in one query, but hashes only positions).
        "signatories": review.list_hash,
        "language": language_of(statement, translation),
        "order": statement.signatory_order,
    }
    # A coordinator's verification after approval (a status, an admitted observer) or new
    # requirements change the breakdown and the venue's grouping: both are in the key.
    inputs["venue"] = dict(venue_key_inputs(statement, review))
    language = language_of(statement, translation)
    inputs["venue"]["titles"] = other_titles(statement, review.revision, language)
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
