"""`check_statement`: the one list of problems the editor, the sign-on, the submission and the
coordinator's review show — the text against the venue's rules (checks.check_text), and who
leads and signs against who may (eligibility.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..errors import OperationError
from ..extensions import db
from ..models import Organization, Signature, Statement
from ..models.signatures import LIVE_STATES
from ..signons.listing import with_standing
from .checks import Problem, Severity, check_text, counted, word_limit
from .delivery import Arrangement, Breakdown, Signer, arrange, breakdown
from .eligibility import (
    in_reduced_status,
    meets,
    placement_notice,
    placement_sentence,
    rule_text,
)
from .profiles import DEFAULT, PROFILE_LABELS, Eligibility, Requirements, requirements_for


class RequirementsNotMet(OperationError):
    """Submission refused: `problems` says what to fix."""

    def __init__(self, problems: list[Problem]):
        lines = "; ".join(p.message for p in problems)
        super().__init__(
            _("The statement does not meet the venue's requirements. Fix: %(list)s", list=lines)
        )
        self.problems = problems


def live_signers(statement: Statement) -> list[Organization]:
    # Joined, not select-in (500 organizations a query): as many queries for 1,500 as for 10.
    return list(
        db.session.scalars(
            select(Organization)
            .join(Signature, Signature.organization_id == Organization.id)
            .where(Signature.statement_id == statement.id, Signature.state.in_(LIVE_STATES))
            .options(joinedload(Organization.accreditations))
            .order_by(Organization.name)
        ).unique()
    )


def _title_languages(statement: Statement) -> list[str]:
    return [
        t.language
        for t in statement.translations
        if t.current_revision is not None and t.current_revision.title.strip()
    ]


def check_statement(
    statement: Statement,
    requirements: Requirements | None = None,
    *,
    title: str | None = None,
    body: str | None = None,
) -> list[Problem]:
    """Everything the statement breaks under `requirements` (the round's when None). `title`
    and `body` check a text being edited instead of the current revision (the live preview)."""
    requirements = requirements or requirements_for(statement.round)
    revision = statement.current_revision
    title = title if title is not None else (revision.title if revision else "")
    body = body if body is not None else (revision.body if revision else "")
    lead = statement.lead_organization
    process_id = statement.round.process_id
    signers = live_signers(statement) if statement.id is not None else []
    problems = check_text(
        body,
        requirements,
        language=statement.language,
        cover=[title, lead.display_un_name, statement.round.title],
        signatories=[org.display_un_name for org in signers],
        title_languages=_title_languages(statement),
        reduced=in_reduced_status(lead),
    )
    if not meets(lead, requirements.lead, process_id):
        problems.append(
            Problem(
                "lead",
                _(
                    "Only %(who)s may lead a statement to this venue; %(name)s may not.",
                    who=rule_text(requirements.lead),
                    name=lead.display_un_name,
                ),
            )
        )
    for org in signers:
        notice = placement_notice(org, requirements, process_id)
        if notice is not None and org.id != lead.id:
            problems.append(Problem("signer", notice, Severity.WARNING))
    return problems


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocks]


def require_submittable(statement: Statement) -> None:
    """Refuse the submission, with the list of what to fix, when the statement breaks a rule
    of its round's venue."""
    refused = blocking(check_statement(statement))
    if refused:
        raise RequirementsNotMet(refused)


@dataclass(frozen=True)
class VenueSummary:
    """What the editor, the statement page and the review show of the venue's checks."""

    profile: str
    label: str
    words: int
    limit: int | None
    problems: list[Problem]

    @property
    def is_default(self) -> bool:
        return self.profile == DEFAULT.profile and not self.problems


def venue_summary(
    statement: Statement, *, title: str | None = None, body: str | None = None
) -> VenueSummary:
    requirements = requirements_for(statement.round)
    revision = statement.current_revision
    text = body if body is not None else (revision.body if revision else "")
    problems = check_statement(statement, requirements, title=title, body=body)
    lead = statement.lead_organization
    count = counted(
        text,
        requirements,
        cover=[title or statement.title, lead.display_un_name, statement.round.title],
        signatories=[org.display_un_name for org in live_signers(statement)],
    )
    return VenueSummary(
        requirements.profile,
        str(PROFILE_LABELS.get(requirements.profile, requirements.profile)),
        count.total,
        word_limit(requirements, reduced=in_reduced_status(lead)),
        problems,
    )


def signon_notice(statement: Statement, organization: Organization) -> str | None:
    """What a sign-on by `organization` becomes under the round's venue (None: listed like any
    other), for the signer before and after signing, whatever the path."""
    return placement_notice(
        organization, requirements_for(statement.round), statement.round.process_id
    )


def new_organization_notice(statement: Statement, name: str) -> str | None:
    """The same for an organization a sign-on would create (public form, import): it holds no
    verified status yet."""
    requirements = requirements_for(statement.round)
    if requirements.signers == Eligibility.ANYONE:
        return None
    return placement_sentence(name, requirements)


def approved_signers(statement: Statement) -> list[Signer]:
    """The organizations the statement's list names now — by the one signatory rule
    (portal/signons/listing.py: approved, named, on the current text), as the page's counts."""
    query, rule = with_standing(
        select(Signature.country, Organization)
        .join(Organization, Signature.organization_id == Organization.id)
        .where(Signature.statement_id == statement.id)
    )
    # Joined, not select-in: select-in loads 500 organizations a query, so a list of 1,500 would
    # cost the page more queries than a list of 10.
    rows = (
        db.session.execute(
            query.where(rule.listed).options(joinedload(Organization.accreditations))
        )
        .unique()
        .all()
    )
    return [Signer(org.display_un_name, country or "", org) for country, org in rows]


def statement_breakdown(statement: Statement) -> Breakdown:
    return breakdown(approved_signers(statement))


def delivered_list(statement: Statement) -> Arrangement:
    return arrange(
        approved_signers(statement), requirements_for(statement.round), statement.round.process_id
    )


class ListedName(Protocol):
    """An entry of a published list (portal/signons/listing.Entry), as this module reads it."""

    @property
    def name(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def organization_id(self) -> int | None: ...


def listed_signers(entries: Iterable[ListedName]) -> list[Signer]:
    """A published list's entries, in its order, with their organizations (and so their
    verified status as it stands now): what the official PDF and the exports count and group."""
    entries = list(entries)
    ids = {e.organization_id for e in entries if e.organization_id}
    organizations = {
        org.id: org
        for org in db.session.scalars(
            select(Organization)
            .where(Organization.id.in_(ids))
            .options(joinedload(Organization.accreditations))
        ).unique()
    }
    return [
        Signer(e.name, e.country or "", organizations.get(e.organization_id or 0)) for e in entries
    ]
