"""The states of a co-drafter invitation (StatementDrafter.state): one table, which
drafter_operations.py goes through.

    new | declined → invited      members of the lead organization, while the text is editable
    invited → accepted | declined admins of the invited organization

The audit events are written on the statement: statement.invite, statement.accept,
statement.decline.
"""

from flask_babel import lazy_gettext as _l

from ..core.state_table import NEW, StateTable, Transition
from ..models import DrafterState

D = DrafterState
ANSWERERS = _l("Only the invited organization's admins can answer the invitation.")


def _lead(drafter, actor) -> bool:
    return drafter.statement.can_invite(actor)


def _invited_admin(drafter, actor) -> bool:
    return drafter.can_respond(actor)


DRAFTER = StateTable(
    "state",
    (
        Transition(
            "invite",
            frozenset({NEW, D.DECLINED}),
            D.INVITED,
            _lead,
            _l("Only members of the lead organization can invite co-drafters."),
            "statement.invite",
            refused={
                D.ACCEPTED: _l("{name} already co-drafts."),
                D.INVITED: _l("{name} already is invited."),
            },
            field="organization",
        ),
        Transition(
            "accept",
            frozenset({D.INVITED}),
            D.ACCEPTED,
            _invited_admin,
            ANSWERERS,
            "statement.accept",
            refused={"*": _l("The invitation was already {state}.")},
        ),
        Transition(
            "decline",
            frozenset({D.INVITED}),
            D.DECLINED,
            _invited_admin,
            ANSWERERS,
            "statement.decline",
            refused={"*": _l("The invitation was already {state}.")},
        ),
    ),
    name=lambda drafter: drafter.organization.name,
)
