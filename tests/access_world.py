"""One of every object the routes take, for the access matrix: a verified organization with a
person per role, another organization's draft, a statement open for signatures with a signature,
a comment, an invitation, an outbox message."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mail import queue_message
from portal.models import MemberRole, Membership, MembershipState, Round, VerificationStatus
from portal.review.operations import decide
from portal.signons import operations as signons
from portal.statements import operations as statements
from portal.statements import workflow
from portal.statements.comment_operations import add_comment

BODY = "## Asks\n\nRegular pathways for all.[^1]\n\n[^1]: See <https://example.org/>.\n"


@pytest.fixture
def world(request, people, make_org, make_user, make_round):
    """The module's world, built once: each test runs in a savepoint rolled back at its end, so
    what one test posts is gone when the next starts (the `people` are the world's). A test that
    commits for real builds its own."""
    if request.node.get_closest_marker("commits") or request.node.get_closest_marker("postgres"):
        return build_world(people, make_org, make_user, make_round)
    ids = World(approved=lambda: _approved_statement(people["org_admin"], people["coordinator"]))
    ids.update(request.getfixturevalue("_shared_world")["ids"])
    return ids


@pytest.fixture(scope="module")
def _shared_world(module_objects):
    """Built in the module's transaction, before any test's savepoint (see conftest `app`)."""

    def build(make_user, make_org, make_round, make_people):
        people = make_people(make_user, make_org)
        ids = build_world(people, make_org, make_user, make_round)
        return {"people": {k: v.id for k, v in people.items()}, "ids": dict(ids)}

    return module_objects(build)


def build_world(people, make_org, make_user, make_round) -> "World":
    org, member, org_admin = people["org"], people["member"], people["org_admin"]
    round_ = make_round(slug="round-x")
    other = make_org(name="Other Alliance", slug="other", country="MX")
    other_member = make_user(org=other, role=MemberRole.ADMIN)
    pending = make_org(name="Pending Group", slug="pending", status=VerificationStatus.PENDING)
    requester = make_user()
    request = Membership(
        user=requester, organization=org, role=MemberRole.MEMBER, state=MembershipState.REQUESTED
    )
    db.session.add(request)

    own_draft = statements.create_statement(
        member, round_, area=round_.areas[0], organization=org, title="Own draft", body=BODY
    )
    foreign_draft = statements.create_statement(
        other_member, round_, area=round_.areas[0], organization=other, title="Foreign", body=BODY
    )
    # The invitation goes to a third organization: the people of `org` must not see this draft.
    third = make_org(name="Third Forum", slug="third", country="PH")
    invitation = statements.invite_drafter(other_member, foreign_draft, third)
    comment = add_comment(member, own_draft, body="Shorter, please.")
    signing = statements.create_statement(
        org_admin, round_, area=round_.areas[1], organization=org, title="Signing", body=BODY
    )
    workflow.apply(signing, "open_signing", org_admin)
    signature = signons.sign(other_member, signing, other, signing.current_revision_id)
    message = queue_message(
        "someone@example.net",
        "password_reset",
        "Reset",
        user=member,
        link="https://example.org/reset",
    )
    db.session.commit()
    ids = World(approved=lambda: _approved_statement(org_admin, people["coordinator"]))
    ids.update(
        {
            "org": org.slug,
            "pending_org": pending.slug,
            "round": round_.slug,
            "process": round_.process.slug,
            "own_draft": own_draft.id,
            "foreign_draft": foreign_draft.id,
            "foreign_drafter": invitation.id,
            "signing": signing.id,
            "public_token": signing.public_token,
            "signature": signature.id,
            "comment": comment.id,
            "membership": request.id,
            "message": message.id,
            "user": requester.id,
        }
    )
    return ids


class World(dict):
    """The ids of the world's objects; the approved statement (its PDF takes a moment to
    compile) is made only when a route asks for it."""

    def __init__(self, **lazy):
        super().__init__()
        self.lazy = lazy

    def __missing__(self, key):
        self[key] = self.lazy[key]()
        return self[key]


def _approved_statement(lead_admin, coordinator) -> int:
    round_ = db.session.scalar(select(Round).where(Round.slug == "round-x"))
    statement = statements.create_statement(
        lead_admin,
        round_,
        area=round_.areas[0],
        organization=lead_admin.organizations()[0],
        title="Approved statement",
        body=BODY,
    )
    for action, actor in (("open_signing", lead_admin), ("submit", lead_admin)):
        workflow.apply(statement, action, actor)
    # Through the approval operation: it builds the files the downloads (GETs) only read.
    decide(coordinator, statement, "approve")
    db.session.commit()
    return statement.id
