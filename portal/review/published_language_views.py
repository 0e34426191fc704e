"""An approved statement in each of its languages: the original and every published translation
(one that still says what the approved text says), each with its page, PDF and DOCX and the
same signatory list. Registered on the publication blueprint; a GET only reads stored files."""

from dataclasses import dataclass

from flask import abort, redirect, render_template, url_for

from ..core.conditional import conditional_page
from ..core.fragments import fragment
from ..exports import list_corrections
from ..exports.formats import export_key
from ..exports.official import official_key
from ..exports.pdf_jobs import Preparing, existing_or_preparing
from ..exports.responses import preparing_page, send_artifact
from ..models import Review, Statement
from ..signons import listing
from ..statements.translation_queries import published_translation, published_translations
from ..text import languages, render_html
from .publication_views import bp
from .queries import published_or_404

LANGUAGE = f"<any({', '.join(languages.CODES)}):language>"


@dataclass(frozen=True)
class LanguageVersion:
    """One language of a published statement and where to read it."""

    code: str
    original: bool
    page: str
    pdf: str
    docx: str

    @property
    def own_name(self) -> str:
        return languages.own_name(self.code)

    @property
    def name(self) -> str:
        return languages.display_name(self.code)


def language_versions(statement, review) -> list[LanguageVersion]:
    """The original first, then the published translations by language code."""
    sid = statement.id
    versions = [
        LanguageVersion(
            statement.language,
            True,
            url_for("publication.statement", statement_id=sid),
            url_for("publication.statement_pdf", statement_id=sid),
            url_for("publication.statement_export", statement_id=sid, fmt="docx"),
        )
    ]
    for standing in published_translations(statement, review):
        code = standing.language
        versions.append(
            LanguageVersion(
                code,
                False,
                url_for("publication.translated", statement_id=sid, language=code),
                url_for("publication.translated_file", statement_id=sid, language=code, fmt="pdf"),
                url_for("publication.translated_file", statement_id=sid, language=code, fmt="docx"),
            )
        )
    return versions


def _approval_or_404(statement: Statement) -> Review:
    review = listing.approval(statement)
    if review is None:  # approved without an approving review: nothing to publish
        abort(404)
    return review


def _translation_or_404(statement: Statement, review: Review, language: str):
    standing = published_translation(statement, review, language)
    if standing is None:
        abort(404)
    return standing


@bp.get("/published/<int:statement_id>")
def statement(statement_id):
    statement = published_or_404(statement_id)
    review = _approval_or_404(statement)
    return published_page(statement, review, review.revision, statement.language)


@bp.get(f"/published/<int:statement_id>/{LANGUAGE}")
def translated(statement_id, language):
    statement = published_or_404(statement_id)
    if language == statement.language:
        return redirect(url_for("publication.statement", statement_id=statement.id))
    review = _approval_or_404(statement)
    standing = _translation_or_404(statement, review, language)
    return published_page(statement, review, standing.revision, language)


def published_page(statement, review, text, language):
    """The public page of the approved statement in one language (`text` is the approved
    revision or a translation's revision)."""
    versions = language_versions(statement, review)
    # What the page shows: the text in this language, the list as it stands (its hash changes
    # with each correction), the statement's facts and the languages it is published in.
    version = (
        "published",
        statement.id,
        statement.updated_at,
        statement.lead_organization.name,
        statement.round.title,
        review.id,
        review.list_hash,
        language,
        text.text_hash,
        tuple(v.code for v in versions),
    )
    return conditional_page(
        version,
        lambda: render_template(
            "review/published.html",
            revision=text,
            versions=versions,
            body_piece=fragment(
                "published-page",
                version,
                lambda: _body(statement, review, text, language, versions),
            ),
        ),
    )


def _body(statement, review, text, language, versions) -> str:
    return render_template(
        "review/_published_body.html",
        statement=statement,
        review=review,
        revision=text,
        language=language,
        versions=versions,
        body_html=render_html(text.body, footnotes="end", doc_id=f"s{statement.id}", lang=language),
        signatories=listing.published_entries(review),
        corrections=list_corrections.history(review),
    )


@bp.get(f"/published/<int:statement_id>/{LANGUAGE}.<any(pdf, docx):fmt>")
def translated_file(statement_id, language, fmt):
    """A translation's PDF or DOCX, built when the statement was approved or the translation
    saved (exports/prepared.py): a GET only reads it, or says it is being prepared."""
    statement = published_or_404(statement_id)
    review = _approval_or_404(statement)
    standing = _translation_or_404(statement, review, language)
    if fmt == "pdf":
        key = official_key(statement, review, standing.revision)
    else:
        key = export_key(statement, review, fmt, standing.revision)
    artifact = existing_or_preparing(key, ("exports", review.id, None))
    if isinstance(artifact, Preparing):
        return preparing_page(artifact, f"{standing.revision.title} ({fmt.upper()})")
    return send_artifact(artifact, inline=fmt == "pdf")
