"""The transition tables of organization verification, membership and co-drafter invitations,
and the statement's one table of what each state allows: every operation that changes those
states, parametrized over the states it starts from (allowed or refused, the audit event and its
actor), without HTTP."""

import pytest
from sqlalchemy import select

from portal.core.state_table import NEW
from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    STATE_ALLOWS,
    AuditEvent,
    DrafterState,
    MemberRole,
    Membership,
    MembershipState,
    StatementDrafter,
    StatementState,
    VerificationStatus,
)
from portal.models.accounts import AnonymousUser
from portal.organizations import operations as org_ops
from portal.organizations.transitions import MEMBERSHIP, VERIFICATION
from portal.statements import operations as statement_ops
from portal.statements import workflow
from portal.statements.drafter_transitions import DRAFTER
from tests.helpers.audit import assert_audited


@pytest.fixture(autouse=True)
def request_context(app):
    # E-mails carry absolute links, which need a host to build them from.
    with app.test_request_context():
        yield


def events():
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def assert_refused(call, before):
    with pytest.raises(OperationError):
        call()
    assert len(events()) == before


# -- organization verification ----------------------------------------------------------------

VERIFY_CASES = [
    (operation, action, state)
    for operation, action in (
        (lambda actor, org: org_ops.verify_organization(actor, org), "verify"),
        (lambda actor, org: org_ops.reject_organization(actor, org, "Not an NGO."), "reject"),
    )
    for state in VerificationStatus
]


@pytest.mark.parametrize(("operation", "action", "state"), VERIFY_CASES)
def test_verification_follows_its_table(people, make_org, operation, action, state):
    org = make_org(status=state)
    transition = VERIFICATION[action]
    before = len(events())
    if state not in transition.sources:
        assert_refused(lambda: operation(people["coordinator"], org), before)
        assert org.status == state
        return
    # Only coordinators: an organization's own admin is refused in every state.
    assert_refused(lambda: operation(people["org_admin"], org), before)
    operation(people["coordinator"], org)
    assert org.status == transition.target
    assert_audited(
        transition.audit_action, actor=people["coordinator"], subject=org, organization=org
    )


# -- membership ---------------------------------------------------------------------------------

MEMBERSHIP_OPERATIONS = {
    "request": lambda actor, m: org_ops.request_to_join(m.user, m.organization),
    "approve": org_ops.approve_join_request,
    "decline": org_ops.decline_join_request,
    "change_role": lambda actor, m: org_ops.set_member_role(actor, m, MemberRole.SIGNATORY),
    "remove": org_ops.remove_member,
}


@pytest.mark.parametrize("state", list(MembershipState))
@pytest.mark.parametrize("action", list(MEMBERSHIP_OPERATIONS))
def test_membership_follows_its_table(people, make_user, action, state):
    person, org, admin = make_user(), people["org"], people["org_admin"]
    membership = Membership(user=person, organization=org, role=MemberRole.MEMBER, state=state)
    db.session.add(membership)
    db.session.commit()
    transition = MEMBERSHIP[action]
    # The person asks for themselves; every other change is the organization admin's.
    actor = person if action == "request" else admin
    operation = MEMBERSHIP_OPERATIONS[action]
    before = len(events())
    if state not in transition.sources:
        assert_refused(lambda: operation(actor, membership), before)
        assert membership.state == state
        return
    if action != "request":
        assert_refused(lambda: operation(people["member"], membership), before)
    operation(actor, membership)
    assert_audited(transition.audit_action, actor=actor, subject=membership, organization=org)
    if action == "remove":
        assert db.session.get(Membership, membership.id) is None
    else:
        assert membership.state == (transition.target or state)


def test_a_first_request_and_an_invitation_start_from_new(people, make_user):
    assert MEMBERSHIP.state_of(None) == NEW
    person = make_user()
    membership = org_ops.request_to_join(person, people["org"])
    assert membership.state == MembershipState.REQUESTED
    assert_audited(
        "membership.requested", actor=person, subject=membership, organization=people["org"]
    )

    _, token = org_ops.invite_member(people["org_admin"], people["org"], "new@example.org")
    before = len(events())
    assert_refused(lambda: org_ops.accept_invitation(make_user(), token), before)
    newcomer = make_user(email="new@example.org")
    membership = org_ops.accept_invitation(newcomer, token)
    assert membership.state == MembershipState.ACTIVE
    assert_audited(
        "invitation.accepted", actor=newcomer, subject=membership, organization=people["org"]
    )


# -- co-drafter invitations ---------------------------------------------------------------------


@pytest.fixture
def statement(people, make_round):
    round_ = make_round()
    made = statement_ops.create_statement(
        people["member"], round_, area=round_.areas[0], organization=people["org"],
        title="A joint statement", body="## Asks\n\nOne ask.",
    )  # fmt: skip
    db.session.commit()
    return made


@pytest.mark.parametrize("state", list(DrafterState))
@pytest.mark.parametrize("action", ["invite", "accept", "decline"])
def test_co_drafter_invitation_follows_its_table(
    people, make_org, make_user, statement, action, state
):
    invited = make_org(name="Invited Alliance")
    invited_admin = make_user(org=invited, role=MemberRole.ADMIN)
    drafter = StatementDrafter(statement=statement, organization=invited, state=state)
    db.session.add(drafter)
    db.session.commit()
    transition = DRAFTER[action]
    if action == "invite":
        actor, outsider = people["member"], invited_admin

        def operation(who):
            return statement_ops.invite_drafter(who, statement, invited)
    else:
        actor, outsider = invited_admin, people["member"]

        def operation(who):
            return statement_ops.respond_to_invitation(who, drafter, accept=action == "accept")

    before = len(events())
    if state not in transition.sources:
        assert_refused(lambda: operation(actor), before)
        assert drafter.state == state
        return
    assert_refused(lambda: operation(outsider), before)
    operation(actor)
    assert drafter.state == transition.target
    # Audited on the statement, for the organization whose side took the step.
    side = people["org"] if action == "invite" else invited
    assert_audited(transition.audit_action, actor=actor, subject=statement, organization=side)


# -- what each statement state allows -----------------------------------------------------------


@pytest.mark.parametrize("state", list(StatementState))
def test_the_statement_methods_read_one_table(people, statement, state):
    statement.state = state
    member, coordinator = people["member"], people["coordinator"]
    assert statement.can_edit(member) == (state in STATE_ALLOWS["edit"])
    assert statement.can_comment(member) == (state in STATE_ALLOWS["comment"])
    assert statement.can_set_signatory_order(member) == (state in STATE_ALLOWS["reorder"])
    assert statement.is_published == (state in STATE_ALLOWS["published"])
    assert statement.can_correct_list(coordinator) == (state in STATE_ALLOWS["published"])
    assert not statement.can_correct_list(member)
    assert workflow.permits(statement, "submit", member) == (state in STATE_ALLOWS["submit"])
    assert workflow.permits(statement, "approve", coordinator) == (state in STATE_ALLOWS["review"])
    assert workflow.permits(statement, "withdraw", member) == (state in STATE_ALLOWS["withdraw"])


def test_every_capability_names_only_statement_states():
    for states in STATE_ALLOWS.values():
        assert states <= set(StatementState)


# -- the anonymous visitor ----------------------------------------------------------------------


def test_the_anonymous_visitor_answers_every_permission(people, statement):
    anonymous = AnonymousUser()
    assert not anonymous.is_authenticated and not anonymous.is_coordinator
    assert anonymous.active_memberships() == [] and not anonymous.can_act
    org = people["org"]
    assert org.can_view(anonymous)  # verified: public
    assert not any(
        check(anonymous)
        for check in (
            org.can_edit, org.can_join, org.can_verify, org.can_manage_members,
            statement.can_view, statement.can_edit, statement.can_comment,
            statement.can_view_comments, statement.can_submit, statement.can_withdraw,
            statement.can_review, statement.can_correct_list,
        )
    )  # fmt: skip
