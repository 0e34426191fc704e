"""Fixtures for the sign-on tests (a plugin, see conftest `pytest_plugins`): a statement brought
to a state through the real drafting operations and the workflow, signatory people and clients
signed in as them."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    MemberRole,
    Organization,
    Signature,
    SiteRole,
    StatementState,
    utcnow,
)
from portal.signons import public
from portal.statements import operations, workflow
from tests.helpers.clients import signed_in

BODY = """## Our asks

Migrants' rights are human rights.[^1]

- Regular pathways for all.

[^1]: See <https://example.org/report>.
"""

PATHS = {
    StatementState.DRAFT: [],
    StatementState.SIGNING: ["open_signing"],
    StatementState.SUBMITTED: ["open_signing", "submit"],
    StatementState.CHANGES_REQUESTED: ["open_signing", "submit", "request_changes"],
    StatementState.APPROVED: ["open_signing", "submit", "approve"],
    StatementState.REJECTED: ["open_signing", "submit", "reject"],
    StatementState.WITHDRAWN: ["withdraw"],
}


@pytest.fixture
def cast(make_user, make_org, make_round):
    """The lead's drafter, a signing organization with a signatory and a plain member, a second
    signing organization, a coordinator, an outsider, and an open round."""
    lead = make_org(name="Lead Coalition", slug="lead-coalition")
    signer_org = make_org(name="Réseau Migrants & Droits", slug="rmd", country="SN")
    other_org = make_org(name="Other Union", slug="other-union", country="PH", kind="trade_union")
    return {
        "round": make_round(),
        "lead": lead,
        "drafter": make_user(name="Lead Drafter", org=lead, role=MemberRole.ADMIN),
        "signer_org": signer_org,
        "signatory": make_user(name="Aminata Signatory", org=signer_org, role=MemberRole.SIGNATORY),
        "member": make_user(name="Plain Member", org=signer_org, role=MemberRole.MEMBER),
        "other_org": other_org,
        "other_signatory": make_user(name="Other Signer", org=other_org, role=MemberRole.ADMIN),
        "coordinator": make_user(name="Coordinator", site_role=SiteRole.COORDINATOR),
        "outsider": make_user(name="Outsider"),
    }


@pytest.fixture
def as_(app, cast):
    """as_(role) → a fresh client signed in as that member of the cast ('anonymous' for none)."""

    def make(role):
        return signed_in(app, None if role == "anonymous" else cast[role])

    return make


@pytest.fixture
def statement_in(cast):
    """statement_in(state) → a statement of the cast's round in `state`."""

    def make(state=StatementState.SIGNING, title="Joint statement", round_=None):
        round_ = round_ or cast["round"]
        statement = operations.create_statement(
            cast["drafter"],
            round_,
            area=round_.areas[0],
            organization=cast["lead"],
            title=title,
            body=BODY,
        )
        for action in PATHS[StatementState(state)]:
            actor = (
                cast["coordinator"]
                if action in ("approve", "reject", "request_changes")
                else cast["drafter"]
            )
            workflow.apply(
                statement,
                action,
                actor,
                message="Please revise." if action in ("request_changes", "reject") else None,
            )
        db.session.commit()
        return statement

    return make


def save_text(cast, statement, body, substantive=True):
    revision = operations.save_revision(
        cast["drafter"],
        statement,
        base_revision_id=statement.current_revision_id,
        title=statement.title,
        body=body,
        substantive=substantive,
    )
    db.session.commit()
    return revision


def bulk_signatures(statement, n, start=0):
    """n organizations with pending signatures, inserted set-wise so the test stays fast."""
    orgs = [
        {
            "slug": f"bulk-{start + i}",
            "name": f"Bulk {start + i}",
            "country": "KE",
            "kind": "ngo",
            "status": "pending",
            "created_at": utcnow(),
        }
        for i in range(n)
    ]
    db.session.execute(Organization.__table__.insert(), orgs)
    ids = db.session.scalars(select(Organization.id).where(Organization.slug.like("bulk-%"))).all()
    have = set(db.session.scalars(select(Signature.organization_id)))
    rows = [
        {
            "statement_id": statement.id,
            "organization_id": oid,
            "revision_id": statement.current_revision_id,
            "text_hash": "x" * 64,
            "state": "pending",
            "source": "member",
            "created_at": utcnow(),
            "name_key": f"bulk {oid}",
            "country": "KE",
            "publish": True,
            "kept_apart": False,
        }
        for oid in ids
        if oid not in have
    ]
    db.session.execute(Signature.__table__.insert(), rows)
    db.session.commit()


def ask_publicly(statement, name, country="KE", email=None, **fields):
    """A sign-on asked on the public form (no account) and not yet confirmed: (signon, token).
    `fields` override the form's other answers."""
    answers = {
        "kind": "ngo",
        "website": None,
        "contact_name": "Contact",
        "email": email or f"{name.split()[0].lower()}@example.org",
        "publish": True,
        **fields,
    }
    return public.request_signon(
        statement, revision_id=statement.current_revision_id, name=name, country=country, **answers
    )


def sign_publicly(statement, name, country="KE", email=None, **fields) -> Signature:
    """ask_publicly, then its confirmation link followed: the signature it makes."""
    _signon, token = ask_publicly(statement, name, country, email, **fields)
    db.session.commit()
    signature = public.confirm_signon(statement, token)
    db.session.commit()
    return signature
