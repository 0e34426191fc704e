"""The states of an organization's verification and of a membership: one table each, which every
operation in operations.py and invitations.py goes through.

Verification (Organization.status), decided by coordinators:

    (registered) → pending → verified
                 pending → rejected → verified

Membership (Membership.state), decided by the organization's admins:

    new | declined → requested            the person asks to join
    requested → active | declined         an admin approves or declines
    new | requested | declined | active → active    the invited person accepts an invitation
    active → active (role_change)         an admin grants or revokes a role
    active → (row deleted) (remove)       an admin removes the member

Accreditation declarations (Organization.accreditation_state for ECOSOC status and UN name,
Accreditation.state for an accreditation in a process): the organization's admins declare,
coordinators decide:

    undeclared | declared | verified | rejected → declared     an admin declares (again)
    declared | rejected → verified                            a coordinator verifies
    declared | verified → rejected                            a coordinator rejects
"""

from flask_babel import lazy_gettext as _l

from ..core.state_table import NEW, StateTable, Transition
from ..models import AccreditationState, MembershipState, VerificationStatus

V = VerificationStatus
M = MembershipState
A = AccreditationState


def _coordinator(organization, actor) -> bool:
    return organization.can_verify(actor)


def _manager(membership, actor) -> bool:
    return membership.organization.can_manage_members(actor)


def _signed_in(membership, actor) -> bool:
    return actor.is_authenticated


VERIFICATION = StateTable(
    "status",
    (
        Transition(
            "verify",
            frozenset({V.PENDING, V.REJECTED}),
            V.VERIFIED,
            _coordinator,
            _l("Only coordinators verify organizations."),
            "organization.verified",
            refused={V.VERIFIED: _l("{name} is already verified.")},
        ),
        Transition(
            "reject",
            frozenset({V.PENDING}),
            V.REJECTED,
            _coordinator,
            _l("Only coordinators verify organizations."),
            "organization.rejected",
            refused={"*": _l("{name} is not waiting for verification.")},
        ),
    ),
    name=lambda organization: organization.name,
)

MANAGERS_ONLY = _l("Only the organization's admins can manage its members.")

MEMBERSHIP = StateTable(
    "state",
    (
        Transition(
            "request",
            frozenset({NEW, M.DECLINED}),
            M.REQUESTED,
            _signed_in,
            _l("Sign in to ask to join."),
            "membership.requested",
            refused={
                M.ACTIVE: _l("You are already a member of {name}."),
                M.REQUESTED: _l("You have already asked to join {name}."),
            },
            field="organization",
        ),
        Transition(
            "approve",
            frozenset({M.REQUESTED}),
            M.ACTIVE,
            _manager,
            MANAGERS_ONLY,
            "membership.approved",
            refused={"*": _l("This request has already been decided.")},
        ),
        Transition(
            "decline",
            frozenset({M.REQUESTED}),
            M.DECLINED,
            _manager,
            MANAGERS_ONLY,
            "membership.declined",
            refused={"*": _l("This request has already been decided.")},
        ),
        Transition(
            "accept_invitation",
            frozenset({NEW, M.REQUESTED, M.DECLINED, M.ACTIVE}),
            M.ACTIVE,
            _signed_in,
            _l("Sign in to accept the invitation."),
            "invitation.accepted",
        ),
        Transition(
            "change_role",
            frozenset({M.ACTIVE}),
            None,
            _manager,
            MANAGERS_ONLY,
            "membership.role_changed",
            refused={"*": _l("Only active members have roles.")},
        ),
        Transition(
            "remove",
            frozenset({M.ACTIVE}),
            None,
            _manager,
            MANAGERS_ONLY,
            "membership.removed",
            refused={"*": _l("This person is not an active member.")},
        ),
    ),
    name=lambda membership: membership.organization.name,
)


def _organization_of(declaration):
    """The declaring organization: the object itself, or an Accreditation's organization."""
    return getattr(declaration, "organization", None) or declaration


def _declarer(declaration, actor) -> bool:
    return _organization_of(declaration).can_declare_accreditation(actor)


def _accreditation_verifier(declaration, actor) -> bool:
    return _organization_of(declaration).can_verify_accreditation(actor)


def _declaration_table(attribute: str, subject: str) -> StateTable:
    return StateTable(
        attribute,
        (
            Transition(
                "declare",
                frozenset({A.UNDECLARED, A.DECLARED, A.VERIFIED, A.REJECTED}),
                A.DECLARED,
                _declarer,
                _l("Only the organization's admins declare its accreditation."),
                f"{subject}.declared",
            ),
            Transition(
                "verify",
                frozenset({A.DECLARED, A.REJECTED}),
                A.VERIFIED,
                _accreditation_verifier,
                _l("Only coordinators verify accreditations."),
                f"{subject}.verified",
                refused={
                    A.VERIFIED: _l("This accreditation of {name} is already verified."),
                    "*": _l("{name} has not declared an accreditation."),
                },
            ),
            Transition(
                "reject",
                frozenset({A.DECLARED, A.VERIFIED}),
                A.REJECTED,
                _accreditation_verifier,
                _l("Only coordinators verify accreditations."),
                f"{subject}.rejected",
                refused={
                    A.REJECTED: _l("This accreditation of {name} is already rejected."),
                    "*": _l("{name} has not declared an accreditation."),
                },
            ),
        ),
        name=lambda declaration: _organization_of(declaration).name,
    )


# ECOSOC status and UN name on the organization; accreditations per process.
ECOSOC_DECLARATION = _declaration_table("accreditation_state", "accreditation")
PROCESS_ACCREDITATION = _declaration_table("state", "process_accreditation")
