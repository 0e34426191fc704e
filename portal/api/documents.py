"""The JSON shapes of openapi.json's components, built from what queries.py loaded."""

from flask import url_for

from ..signons.list_files import PUBLISHED_ACCREDITATION_COLUMNS, verified_accreditation
from ..text import render_html
from . import queries
from .http import timestamp
from .queries import Publication, published_signatories


def absolute_url(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


def round_document(round_, published: int) -> dict:
    process = round_.process
    return {
        "slug": round_.slug,
        "number": round_.number,
        "title": round_.title,
        "process": {
            "slug": process.slug,
            "title": process.title,
            "short_title": process.short_title,
        },
        "place": round_.place,
        "meeting_start": round_.meeting_start.isoformat(),
        "meeting_end": round_.meeting_end.isoformat(),
        "timezone": round_.timezone,
        "opens_at": timestamp(round_.opens_at),
        "signon_deadline": timestamp(round_.signon_deadline),
        "submission_deadline": timestamp(round_.submission_deadline),
        "phase": str(round_.phase()),
        "published_statements": published,
        "links": {
            "html": absolute_url("rounds.round_detail", slug=round_.slug),
            "statements": absolute_url("api.statements", round=round_.slug),
            "feed": absolute_url("feeds.round_feed", slug=round_.slug),
        },
    }


def statement_summary(publication: Publication) -> dict:
    statement, review, revision = publication.statement, publication.review, publication.revision
    lead = statement.lead_organization
    return {
        "id": statement.id,
        "title": revision.title,
        "language": statement.language,
        "round": statement.round.slug,
        "area": statement.area.title,
        "lead_organization": {
            "name": lead.name,
            "acronym": lead.acronym,
            "country": lead.country or None,
            "html": absolute_url("organizations.profile", slug=lead.slug),
        },
        "published_at": timestamp(review.created_at),
        "revision": revision.number,
        "signatory_count": len(review.signatories or []),
        "links": {
            "self": absolute_url("api.statement", statement_id=statement.id),
            "html": absolute_url("publication.statement", statement_id=statement.id),
            "pdf": absolute_url("publication.statement_pdf", statement_id=statement.id),
            "docx": absolute_url(
                "publication.statement_export", statement_id=statement.id, fmt="docx"
            ),
            "round": absolute_url("api.statements", round=statement.round.slug),
        },
    }


def statement_document(publication: Publication) -> dict:
    statement, revision = publication.statement, publication.revision
    signatories = published_signatories(publication)
    # What a coordinator verified (docs/accreditation.md), empty values as null.
    accreditation = [
        {
            key: value or None
            for key, value in zip(PUBLISHED_ACCREDITATION_COLUMNS, cells, strict=True)
        }
        for cells in verified_accreditation(statement, signatories)
    ]
    return {
        **statement_summary(publication),
        "text": {
            # The same renderer, footnote ids and sanitizer as the published page.
            "source": revision.body,
            "html": render_html(
                revision.body, footnotes="end", doc_id=f"s{statement.id}", lang=statement.language
            ),
            "sha256": revision.text_hash,
        },
        "signatory_count": len(signatories),
        "signatories": [
            {
                "position": position,
                "name": signatory.name,
                "scope": (printed := signatory.signatory()).scope_value,
                "country": printed.country_code or None,
                "region": signatory.region or None,
                "place": printed.place,
                "accreditation": accreditation[position - 1],
            }
            for position, signatory in enumerate(signatories, start=1)
        ],
    }


# -- pages: what each endpoint answers ----------------------------------------------------------


def _paged(endpoint: str, items: list, total: int, limit: int, offset: int, **filters) -> tuple:
    """The list document and its navigation links (also sent as a Link header)."""

    def at(start: int) -> str:
        return absolute_url(endpoint, **filters, limit=limit, offset=start)

    links = {"self": at(offset), "first": at(0)}
    if offset > 0:
        links["prev"] = at(max(0, offset - limit))
    if offset + limit < total:
        links["next"] = at(offset + limit)
    page = {"items": items, "total": total, "limit": limit, "offset": offset, "links": links}
    return page, links


def index_page() -> dict:
    return {
        "rounds": absolute_url("api.rounds"),
        "statements": absolute_url("api.statements"),
        "openapi": absolute_url("api.openapi"),
    }


def rounds_page(limit: int, offset: int) -> tuple[dict, dict]:
    page, total, counts = queries.rounds(limit, offset)
    items = [round_document(r, counts.get(r.id, 0)) for r in page]
    return _paged("api.rounds", items, total, limit, offset)


def statements_page(round_, limit: int, offset: int) -> tuple[dict, dict]:
    page, total = queries.publications(round_, limit, offset)
    filters = {"round": round_.slug} if round_ is not None else {}
    items = [statement_summary(p) for p in page]
    return _paged("api.statements", items, total, limit, offset, **filters)
