"""`check_statement`: the one list of problems the editor, the sign-on, the submission and the
coordinator's review show — the text against the venue's rules (checks.check_text), and who
leads and signs against who may (eligibility.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from ..core.fragments import remember
from ..core.versions import data_version
from ..errors import OperationError
from ..extensions import db
from ..models import Organization, Signature, Statement
from ..models.accreditation import EcosocStatus
from ..models.signatures import LIVE_STATES
from ..signons.listing import with_standing
from .checks import Problem, Severity, check_text, counted, word_limit
from .delivery import Arrangement, Breakdown, Signer, arrange
from .eligibility import (
    in_reduced_status,
    meets,
    placement_notice,
    placement_sentence,
    rule_text,
)
from .profiles import DEFAULT, PROFILE_LABELS, Eligibility, Requirements, requirements_for
from .signers import COLUMNS, SignerOrg, light_rows


class RequirementsNotMet(OperationError):
    """Submission refused: `problems` says what to fix."""

    def __init__(self, problems: list[Problem]):
        lines = "; ".join(p.message for p in problems)
        super().__init__(
            _("The statement does not meet the venue's requirements. Fix: %(list)s", list=lines)
        )
        self.problems = problems


def live_signers(statement: Statement) -> list[SignerOrg]:
    """The organizations of the statement's live sign-ons, by name, as light rows (two queries
    however long the list)."""
    live = Signature.statement_id == statement.id, Signature.state.in_(LIVE_STATES)
    query = (
        select(*COLUMNS)
        .join(Signature, Signature.organization_id == Organization.id)
        .where(*live)
        .distinct()
        .order_by(Organization.name, Organization.id)
    )
    ids = select(Signature.organization_id).where(*live)
    return [org for org, _ in light_rows(query, ids, statement.round.process_id)]


def signers_needed(requirements: Requirements) -> bool:
    """Whether the checks read the signers: to count their names, or to say where those the
    venue does not list go."""
    return requirements.count_signatories or requirements.signers != Eligibility.ANYONE


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
    signers: list[SignerOrg] | None = None,
) -> list[Problem]:
    """Everything the statement breaks under `requirements` (the round's when None). `title`
    and `body` check a text being edited instead of the current revision (the live preview);
    `signers` are live_signers() when the caller has them already."""
    requirements = requirements or requirements_for(statement.round)
    revision = statement.current_revision
    title = title if title is not None else (revision.title if revision else "")
    body = body if body is not None else (revision.body if revision else "")
    lead = statement.lead_organization
    process_id = statement.round.process_id
    if signers is None:
        signers = _signers(statement, requirements)
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


def _signers(statement: Statement, requirements: Requirements) -> list[SignerOrg]:
    # Nothing to read when the venue neither counts the names nor places anyone apart.
    if statement.id is None or not signers_needed(requirements):
        return []
    return live_signers(statement)


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
    signers = _signers(statement, requirements)
    problems = check_statement(statement, requirements, title=title, body=body, signers=signers)
    lead = statement.lead_organization
    count = counted(
        text,
        requirements,
        cover=[title or statement.title, lead.display_un_name, statement.round.title],
        signatories=[org.display_un_name for org in signers],
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


def _listed_signatures(statement: Statement, *columns):
    """`columns` of the signatures the statement's list names now — by the one signatory rule
    (portal/signons/listing.py: approved, named, on the current text), as the page's counts."""
    query, rule = with_standing(
        select(*columns)
        .select_from(Signature)
        .join(Organization, Signature.organization_id == Organization.id)
        .where(Signature.statement_id == statement.id)
    )
    return query.where(rule.listed)


def approved_signers(statement: Statement) -> list[Signer]:
    """The organizations the statement's list names now, as light rows (two queries)."""
    query = _listed_signatures(statement, *COLUMNS, Signature.country)
    ids = _listed_signatures(statement, Signature.organization_id)
    return [
        Signer(org.display_un_name, country or "", org)
        for org, (country,) in light_rows(query, ids, statement.round.process_id)
    ]


def statement_breakdown(statement: Statement) -> Breakdown:
    """breakdown(approved_signers(statement)), counted in SQL, kept by the data's version
    (core/versions.py: it moves with sign-ons and the organizations' verified status)."""
    counted = remember(
        "statement-breakdown",
        lambda: (statement.id, statement.state, *data_version()),
        lambda: json.dumps(astuple(_counted_breakdown(statement))),
    )
    return Breakdown(*json.loads(counted))


def _counted_breakdown(statement: Statement) -> Breakdown:
    in_status = and_(
        Organization.ecosoc_status != EcosocStatus.NONE,
        Organization.ecosoc_verified_at.is_not(None),
    )
    # Per country, not count(DISTINCT): PostgreSQL sorts for a DISTINCT, hashes a GROUP BY.
    rows = db.session.execute(
        _listed_signatures(
            statement,
            Signature.country,
            func.count(),
            func.sum(case((in_status, 1), else_=0)),
        ).group_by(Signature.country)
    ).all()
    return Breakdown(
        sum(count for _, count, _ in rows),
        sum(1 for country, _, _ in rows if country),
        sum(ecosoc for _, _, ecosoc in rows),
    )


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


def listed_signers(entries: Iterable[ListedName], process_id: int) -> list[Signer]:
    """A published list's entries, in its order, with their organizations (and so their
    verified status as it stands now, and their accreditations in `process_id`): what the
    official PDF and the exports count and group. Two queries, as light rows."""
    entries = list(entries)
    ids = sorted({e.organization_id for e in entries if e.organization_id})
    organizations = (
        {
            org.id: org
            for org, _ in light_rows(
                select(*COLUMNS).where(Organization.id.in_(ids)), ids, process_id
            )
        }
        if ids
        else {}
    )
    return [
        Signer(e.name, e.country or "", organizations.get(e.organization_id or 0)) for e in entries
    ]
