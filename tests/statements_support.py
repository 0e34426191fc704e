"""Fixtures shared by the drafting tests: a round, a lead organization with a draft, a co-drafting
organization, an unrelated organization, and the people around them."""

from types import SimpleNamespace

import pytest

from portal.extensions import db
from portal.models import MemberRole
from portal.statements import operations

BODY = """## On vision

Civil society is connected across networks[^1] and regions.

### Labour migration

- Decent work for all migrant workers.
- Fair recruitment.

::: closing
Thank you.
:::

[^1]: See <https://example.org/declaration>.
"""


def make_draft(user, organization, round_, title="A joint statement", body=BODY):
    statement = operations.create_statement(
        user, round_, area=round_.areas[0], organization=organization, title=title, body=body
    )
    db.session.commit()
    return statement


@pytest.fixture
def drafting(app, people, make_org, make_user, make_round):
    """people['member'] drafts for people['org'] (the lead); 'co' is invited and accepted."""
    round_ = make_round()
    lead_org = people["org"]
    co_org = make_org(name="Co-drafting Alliance", slug="co-alliance", country="MX")
    co_admin = make_user(org=co_org, role=MemberRole.ADMIN)
    co_member = make_user(org=co_org, role=MemberRole.MEMBER)
    other_org = make_org(name="Unrelated Union", slug="unrelated", country="PH")
    other_member = make_user(org=other_org, role=MemberRole.ADMIN)
    statement = make_draft(people["member"], lead_org, round_)
    with app.test_request_context():
        drafter = operations.invite_drafter(people["member"], statement, co_org)
        operations.respond_to_invitation(co_admin, drafter, accept=True)
    db.session.commit()
    return SimpleNamespace(
        round=round_,
        statement=statement,
        lead_org=lead_org,
        lead_member=people["member"],
        lead_admin=people["org_admin"],
        co_org=co_org,
        co_admin=co_admin,
        co_member=co_member,
        other_org=other_org,
        other_member=other_member,
        coordinator=people["coordinator"],
        outsider=people["outsider"],
        drafter=drafter,
    )
