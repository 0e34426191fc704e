"""Public sign-ons matched against registered organizations: a registered, verified organization
signing through the public form is not created a second time."""

import re

import pytest
from sqlalchemy import select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    AuditEvent,
    MemberRole,
    Organization,
    OutboxMessage,
    PublicSignOn,
    Signature,
    VerificationStatus,
)
from portal.signons import operations as signons
from portal.signons import public
from tests.helpers.clients import signed_in
from tests.helpers.rows import count_rows
from tests.signons_support import ask_publicly, sign_publicly

# Moussa signs for an organization much like one the portal knows (the cast's signer_org).
MOUSSA = {"contact_name": "Moussa Contact", "email": "moussa@example.net"}


def _sign_publicly(statement, name="RÉSEAU migrants et droits", country="SN", **changes):
    return sign_publicly(statement, name, country, **{**MOUSSA, **changes})


def test_a_verified_twin_gets_the_signature_not_a_second_organization(cast, statement_in):
    statement = statement_in()
    before = count_rows(Organization)
    # "Réseau Migrants & Droits" (SN) is registered and verified: & folds to "and", not "et",
    # so use its exact words in another case and accent.
    signature = _sign_publicly(statement, name="réseau MIGRANTS & droits")
    assert count_rows(Organization) == before
    assert signature.organization_id == cast["signer_org"].id
    assert signature.state == "pending" and signature.contact_name == "Moussa Contact"
    told = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "signon_on_behalf")
    ).all()
    assert [m.recipient for m in told] == [cast["signatory"].email]
    assert "Moussa Contact" in told[0].body and "withdraw" in told[0].body
    assert count_rows(AuditEvent, AuditEvent.action == "signature.matched_registered") == 1


def test_a_name_in_another_country_is_another_organization(cast, statement_in):
    statement = statement_in()
    signature = _sign_publicly(statement, name="Réseau Migrants & Droits", country="FR")
    assert signature.organization_id != cast["signer_org"].id
    assert signature.organization.possible_duplicate_of is None


def test_an_unverified_twin_or_a_shared_website_is_flagged(cast, statement_in, make_org):
    statement = statement_in()
    cast["other_org"].website = "https://www.otherunion.example.org/"
    pending = make_org(name="Small Collective", country="KE", status=VerificationStatus.PENDING)
    db.session.commit()
    by_site = _sign_publicly(
        statement,
        name="OU Philippines",
        country="PH",
        website="otherunion.example.org/about",
        email="a@example.net",
    )
    assert by_site.organization_id != cast["other_org"].id
    assert by_site.organization.possible_duplicate_of_id == cast["other_org"].id
    twin = _sign_publicly(statement, name="small collective", country="KE", email="b@example.net")
    assert twin.organization_id != pending.id
    assert twin.organization.possible_duplicate_of_id == pending.id


def test_the_verification_page_shows_the_contact_and_the_possible_match(
    app, cast, statement_in, make_user
):
    statement = statement_in()
    cast["other_org"].website = "https://otherunion.example.org"
    db.session.commit()
    _sign_publicly(
        statement,
        name="OU Philippines",
        country="PH",
        website="https://otherunion.example.org/ph",
    )
    client = signed_in(app, cast["coordinator"])
    page = client.get("/organizations/verification").get_data(as_text=True)
    assert "OU Philippines" in page
    assert "Moussa Contact &lt;moussa@example.net&gt;" in page
    assert re.search(r"Possible duplicate of</strong> <a [^>]+>Other Union</a>", page)


def test_a_rejected_organization_is_not_matched(cast, statement_in):
    statement = statement_in()
    cast["signer_org"].status = VerificationStatus.REJECTED
    db.session.commit()
    signature = _sign_publicly(statement, name="Réseau Migrants & Droits")
    assert signature.organization_id != cast["signer_org"].id


def test_plain_members_are_not_asked(cast, statement_in, make_user):
    statement = statement_in()
    make_user(name="Another", org=cast["signer_org"], role=MemberRole.MEMBER)
    _sign_publicly(statement, name="Réseau Migrants & Droits")
    recipients = db.session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.kind == "signon_on_behalf")
    ).all()
    assert recipients == [cast["signatory"].email]
    assert count_rows(PublicSignOn) == 1 and count_rows(Signature) == 1


def test_a_matched_organization_that_already_signed_is_told_so(cast, statement_in):
    statement = statement_in()
    signons.sign(cast["signatory"], statement, cast["signer_org"], statement.current_revision_id)
    _signon, token = ask_publicly(statement, "Réseau Migrants & Droits", "SN", **MOUSSA)
    db.session.commit()
    with pytest.raises(OperationError, match="already signed"):
        public.confirm_signon(statement, token)
    db.session.rollback()
    assert count_rows(Signature) == 1
    # Nothing of the refused confirmation stays: the link is still unused.
    assert count_rows(PublicSignOn, PublicSignOn.confirmed_at.is_(None)) == 1
