"""State changes of accreditation: what an organization's admins declare (ECOSOC status, the
name registered with the UN, its constituency and other accreditations in each process), the
coordinators' verification of it, and the constituency list each process keeps.

Declaring changed values puts the declaration back to "declared" and clears its verification:
a coordinator verified what was declared then, not what is declared now. Like every operation,
nothing here commits (portal/core/feedback.py does).
"""

from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from .. import audit
from ..errors import OperationError
from ..extensions import db
from ..models import (
    Accreditation,
    AccreditationKind,
    AccreditationState,
    Constituency,
    EcosocStatus,
    Organization,
    OrganizationConstituency,
    Process,
    User,
    utcnow,
)
from .transitions import ECOSOC_DECLARATION, PROCESS_ACCREDITATION

UN_NAME_MAX = 300
CONSTITUENCY_MAX = 120

__all__ = [
    "add_constituency",
    "declare_accreditation",
    "may_decide",
    "reject_declaration",
    "remove_constituency",
    "verify_declaration",
]


def _clean_status(value: str) -> EcosocStatus:
    try:
        return EcosocStatus(value)
    except ValueError:
        raise OperationError(_("Choose a consultative status."), "ecosoc_status") from None


def _clean_un_name(organization: Organization, value: str | None) -> str | None:
    value = " ".join((value or "").split())
    if len(value) > UN_NAME_MAX:
        raise OperationError(_("At most 300 characters."), "un_name")
    # The same name as on the portal says nothing more: stored as "no other name".
    return value if value and value != organization.name else None


def _clean_constituencies(
    constituencies: Mapping[int, int | None],
) -> dict[int, Constituency | None]:
    chosen: dict[int, Constituency | None] = {}
    for process_id, constituency_id in constituencies.items():
        constituency = db.session.get(Constituency, constituency_id) if constituency_id else None
        if constituency_id and (constituency is None or constituency.process_id != process_id):
            raise OperationError(
                _("Choose a constituency from the list."), f"constituency_{process_id}"
            )
        chosen[process_id] = constituency
    return chosen


def _clean_kinds(accreditations: Mapping[int, Iterable[str]]) -> dict[int, set[str]]:
    cleaned: dict[int, set[str]] = {}
    for process_id, kinds in accreditations.items():
        try:
            cleaned[process_id] = {AccreditationKind(kind).value for kind in kinds}
        except ValueError:
            raise OperationError(
                _("Choose accreditations from the list."), f"accreditations_{process_id}"
            ) from None
    return cleaned


def declare_accreditation(
    actor: User,
    organization: Organization,
    *,
    ecosoc_status: str,
    un_name: str | None = None,
    constituencies: Mapping[int, int | None] | None = None,
    accreditations: Mapping[int, Iterable[str]] | None = None,
) -> Organization:
    """The organization's declaration. `constituencies` maps a process id to the chosen
    constituency's id (None: none); `accreditations` a process id to the kinds held there.
    Processes left out of either mapping keep what they had."""
    ECOSOC_DECLARATION.check(organization, "declare", actor)
    status = _clean_status(ecosoc_status)
    name = _clean_un_name(organization, un_name)
    chosen = _clean_constituencies(constituencies or {})
    kinds = _clean_kinds(accreditations or {})

    declared = (status.value, name)
    if (
        organization.accreditation_state == AccreditationState.UNDECLARED
        or (organization.ecosoc_status, organization.un_name) != declared
    ):
        previous = [organization.ecosoc_status, organization.un_name]
        organization.ecosoc_status, organization.un_name = declared
        organization.ecosoc_verified_at = None
        ECOSOC_DECLARATION.apply(
            organization,
            "declare",
            actor,
            organization=organization,
            ecosoc_status=[previous[0], status.value],
            un_name=[previous[1], name],
        )
    for process_id, constituency in chosen.items():
        _set_constituency(actor, organization, process_id, constituency)
    for process_id, wanted in kinds.items():
        _set_accreditations(actor, organization, process_id, wanted)
    db.session.flush()
    db.session.expire(organization, ["constituencies", "accreditations"])
    return organization


def _stamp(organization: Organization) -> None:
    """Its accreditation rows changed: pages that show it (kept as rendered pieces, read by the
    organizations' `updated_at`) must show it anew."""
    organization.updated_at = utcnow()


def _set_constituency(
    actor: User, organization: Organization, process_id: int, constituency: Constituency | None
) -> None:
    current = organization.constituency_in(process_id)
    if current == constituency:
        return
    _stamp(organization)
    if current is not None:
        db.session.execute(
            delete(OrganizationConstituency).where(
                OrganizationConstituency.organization_id == organization.id,
                OrganizationConstituency.constituency_id == current.id,
            )
        )
    if constituency is not None:
        db.session.add(
            OrganizationConstituency(
                organization_id=organization.id, constituency_id=constituency.id
            )
        )
    audit.record(
        "organization.constituency_changed",
        organization,
        organization=organization,
        actor=actor,
        process_id=process_id,
        constituency=[
            current.name if current else None,
            constituency.name if constituency else None,
        ],
    )


def _set_accreditations(
    actor: User, organization: Organization, process_id: int, wanted: set[str]
) -> None:
    held = {a.kind: a for a in organization.accreditations_in(process_id)}
    if held.keys() != wanted:
        _stamp(organization)
    for kind in sorted(held.keys() - wanted):
        accreditation = held[kind]
        audit.record(
            "process_accreditation.withdrawn",
            accreditation,
            organization=organization,
            actor=actor,
            process_id=process_id,
            kind=kind,
        )
        organization.accreditations.remove(accreditation)
    for kind in sorted(wanted - held.keys()):
        accreditation = Accreditation(
            organization=organization,
            process_id=process_id,
            kind=kind,
            state=AccreditationState.UNDECLARED,
        )
        db.session.add(accreditation)
        db.session.flush()
        PROCESS_ACCREDITATION.apply(
            accreditation,
            "declare",
            actor,
            organization=organization,
            process_id=process_id,
            kind=kind,
        )


# -- coordinators: verification ---------------------------------------------------------------


def _table(declaration: Organization | Accreditation):
    return PROCESS_ACCREDITATION if isinstance(declaration, Accreditation) else ECOSOC_DECLARATION


def _organization(declaration: Organization | Accreditation) -> Organization:
    return declaration.organization if isinstance(declaration, Accreditation) else declaration


def may_decide(declaration: Organization | Accreditation, action: str, actor) -> bool:
    """Whether `actor` may `verify` or `reject` it now: the buttons the profile shows."""
    return _table(declaration).permits(declaration, action, actor)


def verify_declaration(actor: User, declaration: Organization | Accreditation):
    """A coordinator confirms the organization's declaration (its ECOSOC status and UN name)
    or one of its accreditations in a process."""
    table = _table(declaration)
    table.check(declaration, "verify", actor)
    if isinstance(declaration, Accreditation):
        declaration.verified_at = utcnow()
    else:
        declaration.ecosoc_verified_at = utcnow()
    _stamp(_organization(declaration))
    table.apply(declaration, "verify", actor, organization=_organization(declaration))
    db.session.flush()
    return declaration


def reject_declaration(actor: User, declaration: Organization | Accreditation):
    """A coordinator could not confirm it: it stays on record, shown as not confirmed."""
    table = _table(declaration)
    table.check(declaration, "reject", actor)
    if isinstance(declaration, Accreditation):
        declaration.verified_at = None
    else:
        declaration.ecosoc_verified_at = None
    _stamp(_organization(declaration))
    table.apply(declaration, "reject", actor, organization=_organization(declaration))
    db.session.flush()
    return declaration


# -- coordinators: constituency lists -----------------------------------------------------------


def _refuse_unless_editor(actor: User, process: Process) -> None:
    if not process.can_edit(actor):
        raise OperationError(_("Only coordinators keep the list of constituencies."))


def add_constituency(actor: User, process: Process, name: str) -> Constituency:
    _refuse_unless_editor(actor, process)
    name = " ".join((name or "").split())
    if not name:
        raise OperationError(_("Enter the constituency's name."), "name")
    if len(name) > CONSTITUENCY_MAX:
        raise OperationError(_("At most 120 characters."), "name")
    taken = db.session.scalar(
        select(Constituency.id).where(
            Constituency.process_id == process.id,
            func.lower(Constituency.name) == name.lower(),
        )
    )
    if taken is not None:
        raise OperationError(_("%(name)s is already on the list.", name=name), "name")
    constituency = Constituency(process_id=process.id, name=name)
    db.session.add(constituency)
    db.session.flush()
    audit.record("constituency.added", constituency, actor=actor, process_id=process.id, name=name)
    return constituency


def remove_constituency(actor: User, process: Process, constituency_id: int | None) -> None:
    """Off the list; the organizations that had chosen it have no constituency there any more."""
    _refuse_unless_editor(actor, process)
    constituency = db.session.get(Constituency, constituency_id) if constituency_id else None
    if constituency is None or constituency.process_id != process.id:
        raise OperationError(_("This constituency is not on the list."))
    audit.record(
        "constituency.removed",
        constituency,
        actor=actor,
        process_id=process.id,
        name=constituency.name,
    )
    members = select(OrganizationConstituency.organization_id).where(
        OrganizationConstituency.constituency_id == constituency.id
    )
    db.session.execute(
        update(Organization)
        .where(Organization.id.in_(members))
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    # Explicit rather than left to ON DELETE CASCADE, which SQLite applies only when asked to.
    db.session.execute(
        delete(OrganizationConstituency).where(
            OrganizationConstituency.constituency_id == constituency.id
        )
    )
    db.session.delete(constituency)
    db.session.flush()
