"""Co-drafting organizations: the lead invites a verified organization, whose admins accept or
decline. Same rules as the other operations: check, change, audit, queue e-mail, flush."""

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from ..core.i18n import value_label
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import Organization, Statement, StatementDrafter, User, utcnow
from ..organizations.common import admin_emails
from .checks import require_open_round
from .drafter_transitions import DRAFTER


def invite_drafter(user: User, statement: Statement, organization: Organization):
    drafter = statement.drafter_for(organization.id)
    if drafter is None:
        drafter = StatementDrafter(organization=organization)
        # Asked about before it joins statement.drafters, so a refusal leaves the list as it was.
        set_committed_value(drafter, "statement", statement)
    DRAFTER.check(drafter, "invite", user)
    require_open_round(statement.round, "Invitations")
    if organization.id == statement.lead_organization_id:
        raise OperationError(_("The lead organization drafts already."), "organization")
    if not organization.verified:
        raise OperationError(_("Only verified organizations can be invited."), "organization")
    if drafter.id is None:
        statement.drafters.append(drafter)
        db.session.add(drafter)
    drafter.invited_by_id = user.id
    drafter.responded_at = None
    drafter.responded_by_id = None
    DRAFTER.apply(
        drafter,
        "invite",
        user,
        subject=statement,
        organization=statement.lead_organization,
        invited=organization.slug,
    )
    for email in admin_emails(organization):
        queue_message(
            email,
            "statement_drafter_invited",
            _l("Invitation to co-draft: %(title)s", title=statement.title),
            statement=statement,
            organization=organization,
            inviter=user,
        )
    db.session.flush()
    return drafter


def respond_to_invitation(user: User, drafter: StatementDrafter, *, accept: bool):
    statement = drafter.statement
    action = "accept" if accept else "decline"
    DRAFTER.check(drafter, action, user)
    drafter.responded_at = utcnow()
    drafter.responded_by_id = user.id
    DRAFTER.apply(drafter, action, user, subject=statement, organization=drafter.organization)
    recipients = set(admin_emails(statement.lead_organization))
    if drafter.invited_by is not None:
        recipients.add(drafter.invited_by.email)
    for email in sorted(recipients):
        queue_message(
            email,
            "statement_drafter_responded",
            _l(
                "%(name)s %(state)s to co-draft: %(title)s",
                name=drafter.organization.name,
                state=LazyString(value_label, drafter.state),  # in the recipient's language
                title=statement.title,
            ),
            statement=statement,
            drafter=drafter,
            responder=user,
        )
    db.session.flush()
    return drafter
