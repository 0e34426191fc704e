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
"""

from flask_babel import lazy_gettext as _l

from ..core.state_table import NEW, StateTable, Transition
from ..models import MembershipState, VerificationStatus

V = VerificationStatus
M = MembershipState


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
