"""Rendered pieces kept by what they show (portal/core/fragments.py): rendered once per version,
never shown stale to a page whose data changed, forms posting with the viewer's own token, and
a cache that fails or fills is a miss, not an error."""

import re
import uuid

from flask import g, session
from flask_babel import force_locale
from flask_wtf.csrf import validate_csrf
from sqlalchemy import select

from portal.auth.sessions import load_user
from portal.core import fragments
from portal.core.fragments import CSRF_STAND_IN, LocalStore, RedisStore, fragment
from portal.core.versions import data_version
from portal.extensions import db
from portal.models import Signature, utcnow
from portal.organizations import operations as org_ops
from portal.rounds.queries import load_round_page
from portal.signons import decisions
from portal.statements import operations

from .exports_support import REDIS_URL
from .helpers.clients import signed_in
from .signons_support import bulk_signatures
from .statements_support import BODY


def _counting(html="<p>piece</p>"):
    calls = []

    def render():
        calls.append(1)
        return html

    return render, calls


def test_rendered_once_per_version_and_language(app):
    render, calls = _counting()
    with app.test_request_context("/"):
        assert fragment("t", (1,), render) == "<p>piece</p>"
        fragment("t", (1,), render)
        assert len(calls) == 1
        fragment("t", (2,), render)  # the data changed: rendered again
        assert len(calls) == 2
    with app.test_request_context("/"), force_locale("fr"):
        fragment("t", (2,), render)
    assert len(calls) == 3  # another language is another piece


def test_a_kept_form_posts_with_the_viewers_own_token(app):
    template = '<form method="post"><input name="csrf_token" value="{{ csrf_token() }}"></form>'
    tokens = []
    for _ in range(2):  # two sessions: the second one's piece comes from the cache
        with app.test_request_context("/"):
            # Another visitor: the fixture's app context (and `g`) outlives the request.
            g.pop("csrf_token", None)
            session.pop("csrf_token", None)
            html = fragment("form", (1,), lambda: app.jinja_env.from_string(template).render())
            assert CSRF_STAND_IN not in html
            tokens.append(re.search(r'value="([^"]+)"', html).group(1))
            validate_csrf(tokens[-1])  # raises unless it is this session's token
    assert tokens[0] != tokens[1] and all(len(t) > 20 for t in tokens)


def test_the_local_store_keeps_at_most_its_size():
    store = LocalStore(limit=10)
    store.set("a", "12345", 60)
    store.set("b", "12345", 60)
    store.get("a")  # recently used: stays
    store.set("c", "123", 60)
    assert store.get("a") == "12345" and store.get("b") is None and store.get("c") == "123"
    assert store.size <= 10
    store.set("huge", "x" * 11, 60)  # larger than the whole store: never kept
    assert store.get("huge") is None


def test_a_redis_that_does_not_answer_is_a_miss(app, caplog):
    store = RedisStore("redis://127.0.0.1:1/0")  # nothing listens on port 1
    render, calls = _counting()
    app.extensions["fragments"], saved = store, app.extensions["fragments"]
    try:
        with app.test_request_context("/"):
            assert fragment("t", (1,), render) == "<p>piece</p>"
            fragment("t", (1,), render)
    finally:
        app.extensions["fragments"] = saved
    assert len(calls) == 2 and "fragment cache unavailable" in caplog.text


def test_pieces_are_shared_through_redis_when_configured(app, redis_connection):
    store = RedisStore(REDIS_URL)
    render, calls = _counting(f"<p>{uuid.uuid4()}</p>")
    app.extensions["fragments"], saved = store, app.extensions["fragments"]
    name = f"test-{uuid.uuid4()}"
    try:
        with app.test_request_context("/"):
            first = fragment(name, (1,), render)
            key = fragments.key_of(name, (1,))
        with app.test_request_context("/"):  # another request (another worker alike)
            assert fragment(name, (1,), render) == first
        assert len(calls) == 1
        assert 0 < store.redis.ttl(key) <= app.config["FRAGMENT_CACHE_SECONDS"]
    finally:
        app.extensions["fragments"] = saved
        store.redis.delete(key)


def test_the_round_page_shows_a_change_at_the_next_view(app, drafting):
    member = signed_in(app, drafting.lead_member)
    other = signed_in(app, drafting.other_member)
    url = f"/rounds/{drafting.round.slug}"
    assert "A joint statement" in member.get(url).get_data(as_text=True)
    assert "A joint statement" not in other.get(url).get_data(as_text=True)  # a private draft

    with app.test_request_context():
        operations.save_revision(
            drafting.lead_member,
            drafting.statement,
            base_revision_id=drafting.statement.current_revision_id,
            title="A renamed statement",
            body=BODY,
            note="renamed",
        )
    db.session.commit()
    page = member.get(url).get_data(as_text=True)
    assert "A renamed statement" in page and "A joint statement" not in page


def test_a_new_co_drafter_sees_the_draft_at_the_next_view(app, drafting):
    other = signed_in(app, drafting.other_member)
    url = f"/rounds/{drafting.round.slug}"
    assert "A joint statement" not in other.get(url).get_data(as_text=True)
    with app.test_request_context():
        invitation = operations.invite_drafter(
            drafting.lead_member, drafting.statement, drafting.other_org
        )
        operations.respond_to_invitation(drafting.other_member, invitation, accept=True)
    db.session.commit()
    assert "A joint statement" in other.get(url).get_data(as_text=True)


def test_a_kept_queue_posts_from_each_session_and_shows_the_decision(app, cast, statement_in):
    statement = statement_in()
    bulk_signatures(statement, 3)
    url = f"/rounds/{cast['round'].slug}/signons"
    first, second = signed_in(app, cast["coordinator"]), signed_in(app, cast["coordinator"])
    first.get(url)
    page = second.get(url).get_data(as_text=True)  # the piece the first view kept
    assert CSRF_STAND_IN not in page
    form = next(
        f for f in re.findall(r'<form method="post".*?</form>', page, re.S) if "Approve all 3" in f
    )
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(value)
    assert second.post(f"{url}/approve", data=fields).status_code == 302
    again = first.get(url).get_data(as_text=True)
    assert "0 sign-ons" in again and "Approve all 3" not in again


def test_the_statement_page_is_kept_per_viewer_and_shows_a_new_comment(app, drafting):
    url = f"/statements/{drafting.statement.id}"
    lead, co = signed_in(app, drafting.lead_member), signed_in(app, drafting.co_member)
    assert "Invite to co-draft" in lead.get(url).get_data(as_text=True)
    # The lead's kept page is not the co-drafter's: no invitation form for them.
    assert "Invite to co-draft" not in co.get(url).get_data(as_text=True)
    with app.test_request_context():
        operations.add_comment(drafting.co_member, drafting.statement, body="A kept comment")
    db.session.commit()
    assert "A kept comment" in lead.get(url).get_data(as_text=True)


def _version(app):
    with app.test_request_context():
        g.pop("data_version", None)  # kept per request; the fixture's `g` outlives requests
        return data_version()


def test_the_data_version_moves_with_set_based_updates_and_removals(
    app, cast, statement_in, people
):
    statement = statement_in()
    bulk_signatures(statement, 3)
    before = _version(app)
    ids = list(
        db.session.scalars(select(Signature.id).where(Signature.statement_id == statement.id))
    )
    decisions.approve_many(cast["coordinator"], cast["round"], ids)  # one UPDATE, no ORM object
    db.session.commit()
    approved = _version(app)
    assert approved != before
    membership = next(m for m in people["member"].memberships)
    org_ops.remove_member(people["org_admin"], membership)
    db.session.commit()
    assert _version(app) != approved


def test_the_data_version_read_with_the_viewer_is_the_whole_version(app, cast, statement_in):
    """A signed-in request reads the version in its user query (auth/sessions.py): the same
    values, every one of them, as the version read on its own."""
    bulk_signatures(statement_in(), 2)
    alone = _version(app)
    coordinator = cast["coordinator"]
    with app.test_request_context():
        g.pop("data_version", None)
        assert load_user(coordinator.get_id()) == coordinator
        assert g.data_version == alone
    assert len(alone) > 10 and alone[0] is not None  # the signatures' newest id, not nothing


def test_a_rounds_version_moves_with_its_own_statements_only(app, drafting, make_round):
    """The round page's version (read with the round, rounds/queries.py) counts the co-drafters,
    approvals and corrections of this round's statements, not of another round's."""
    other = make_round()
    now = utcnow()
    with app.test_request_context():
        before = load_round_page(other.slug, now)[1], load_round_page(drafting.round.slug, now)[1]
        operations.invite_drafter(drafting.lead_member, drafting.statement, drafting.other_org)
    db.session.commit()
    with app.test_request_context():
        after = load_round_page(other.slug, now)[1], load_round_page(drafting.round.slug, now)[1]
    assert after[0] == before[0]
    assert after[1] != before[1]
