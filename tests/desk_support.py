"""Fixtures for the desk tests (a plugin, see conftest `pytest_plugins`): a statement open for
signatures whose organizations are in every situation a reminder cares about, built through the
real operations."""

import pytest

from portal.extensions import db
from portal.models import SignatureState, StatementState
from portal.signons import public
from portal.statements import operations
from tests import signons_support
from tests.review_support import BODY


def new_text(statement, user, extra="- And decent work."):
    """A substantive revision: every earlier signature is now on an earlier text."""
    revision = operations.save_revision(
        user,
        statement,
        base_revision_id=statement.current_revision_id,
        title=statement.title,
        body=BODY + "\n" + extra + "\n",
    )
    db.session.commit()
    return revision


def ask_publicly(statement, name, email):
    """A sign-on asked on the public page and not confirmed; returns (signon, token)."""
    requested = signons_support.ask_publicly(
        statement, name, email=email, website="", contact_name=f"Contact of {name}"
    )
    db.session.commit()
    return requested


@pytest.fixture
def chased(crew, make_statement, sign):
    """A signing statement with: Alpha on an earlier text, Beta approved on the current text,
    Gamma pending, two public sign-ons never confirmed and one confirmed."""
    statement = make_statement(StatementState.SIGNING)
    alpha = sign(statement, "Alpha Aid", country="BR")
    new_text(statement, crew["drafter"])
    beta = sign(statement, "Beta Union", country="FR")
    gamma = sign(statement, "Gamma Group", country="PH", state=SignatureState.PENDING)
    ask_publicly(statement, "Delta Diaspora", "delta@example.org")
    ask_publicly(statement, "Epsilon Network", "epsilon@example.org")
    _signon, token = ask_publicly(statement, "Zeta Forum", "zeta@example.org")
    public.confirm_signon(statement, token)
    db.session.commit()
    return {"statement": statement, "alpha": alpha, "beta": beta, "gamma": gamma}
