"""Co-drafting organizations: the lead invites a verified organization, whose admins accept or
decline. Same rules as the other operations: check, change, audit, queue e-mail, flush."""

from .. import audit
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import DrafterState, Organization, Statement, StatementDrafter, User, utcnow
from ..organizations.common import admin_emails
from .checks import require_open_round


def invite_drafter(user: User, statement: Statement, organization: Organization):
    if not statement.can_invite(user):
        raise OperationError("Only members of the lead organization can invite co-drafters.")
    require_open_round(statement.round, "Invitations")
    if organization.id == statement.lead_organization_id:
        raise OperationError("The lead organization drafts already.", "organization")
    if not organization.verified:
        raise OperationError("Only verified organizations can be invited.", "organization")
    drafter = statement.drafter_for(organization.id)
    if drafter is not None and drafter.state != DrafterState.DECLINED:
        already = "co-drafts" if drafter.state == DrafterState.ACCEPTED else "is invited"
        raise OperationError(f"{organization.name} already {already}.", "organization")
    if drafter is None:
        drafter = StatementDrafter(statement=statement, organization=organization)
        db.session.add(drafter)
    drafter.state = DrafterState.INVITED
    drafter.invited_by_id = user.id
    drafter.responded_at = None
    drafter.responded_by_id = None
    db.session.flush()
    audit.record(
        "statement.invite",
        statement,
        organization=statement.lead_organization,
        actor=user,
        invited=organization.slug,
    )
    for email in admin_emails(organization):
        queue_message(
            email,
            "statement_drafter_invited",
            f"Invitation to co-draft: {statement.title}",
            statement=statement,
            organization=organization,
            inviter=user,
        )
    db.session.flush()
    return drafter


def respond_to_invitation(user: User, drafter: StatementDrafter, *, accept: bool):
    if not drafter.can_respond(user):
        raise OperationError("Only the invited organization's admins can answer the invitation.")
    if drafter.state != DrafterState.INVITED:
        raise OperationError(f"The invitation was already {drafter.state}.")
    statement = drafter.statement
    drafter.state = DrafterState.ACCEPTED if accept else DrafterState.DECLINED
    drafter.responded_at = utcnow()
    drafter.responded_by_id = user.id
    audit.record(
        "statement.accept" if accept else "statement.decline",
        statement,
        organization=drafter.organization,
        actor=user,
    )
    recipients = set(admin_emails(statement.lead_organization))
    if drafter.invited_by is not None:
        recipients.add(drafter.invited_by.email)
    for email in sorted(recipients):
        queue_message(
            email,
            "statement_drafter_responded",
            f"{drafter.organization.name} {drafter.state} to co-draft: {statement.title}",
            statement=statement,
            drafter=drafter,
            responder=user,
        )
    db.session.flush()
    return drafter
