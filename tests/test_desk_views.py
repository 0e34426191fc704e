"""The desk over HTTP: the coordinator lands on it, its counts link to the work, its queries do
not grow with the data; the lead's reminder page previews and sends once; the round page lists
statements open for signature with a copyable public link and, for the lead, the funnel."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    MemberRole,
    Organization,
    OutboxMessage,
    Signature,
    SiteRole,
    Statement,
    StatementState,
    VerificationStatus,
    utcnow,
)
from portal.statements import operations as statements
from tests.helpers.clients import PASSWORD, signed_in
from tests.query_count import count_queries


def _signing_in(app, user):
    """A client and the answer to its sign-in (where it lands)."""
    client = signed_in(app)
    return client, client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_coordinator_lands_on_the_desk_and_sees_linked_counts(app, chased, crew):
    client, response = _signing_in(app, crew["coordinator"])
    assert response.headers["Location"].endswith("/desk")
    page = client.get("/desk").get_data(as_text=True)
    slug = crew["round"].slug
    assert f'href="/rounds/{slug}/signons"><strong>2</strong> sign-ons pending' in page
    assert f'href="/rounds/{slug}/review"' not in page  # nothing submitted: no link
    assert "0 statements submitted and waiting" in page
    assert 'href="/organizations/verification"><strong>1</strong> organization to verify' in page
    # The badges in the navigation: the desk's total and the verification queue.
    nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
    assert re.search(r"Desk <span class=\"badge nav-badge\">3<", nav)
    assert re.search(r"Verify <span class=\"badge nav-badge\">1<", nav)


def test_other_people_land_where_they_did(app, crew):
    _client, response = _signing_in(app, crew["drafter"])
    assert response.headers["Location"].endswith("/")


def test_lead_sees_its_statements_and_a_reminder_link(app, chased, crew):
    client = signed_in(app, crew["drafter"])
    page = client.get("/desk").get_data(as_text=True)
    statement = chased["statement"]
    assert "Statements you lead" in page
    assert f'href="/statements/{statement.id}/reminder"' in page
    assert "Rounds" not in page  # not a coordinator
    show = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert f'href="/statements/{statement.id}/reminder">Remind organizations' in show


def test_desk_and_anonymous_pages(client):
    response = client.get("/desk")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "nav-badge" not in client.get("/").get_data(as_text=True)


# -- the reminder page -------------------------------------------------------------------------


def test_reminder_previewed_then_sent_once(app, chased, crew):
    client = signed_in(app, crew["drafter"])
    statement = chased["statement"]
    url = f"/statements/{statement.id}/reminder"
    page = client.get(url).get_data(as_text=True)
    assert "To 1 organization" in page and "To 2 organizations" in page
    assert "Send the reminder" in page

    preview = client.post(url, data={"note": "Two days left!", "preview": "1"})
    assert preview.status_code == 200
    assert preview.get_data(as_text=True).count("Two days left!") >= 2  # each message, the field
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == _mails_before(statement)

    sent = client.post(url, data={"note": "Two days left!", "send": "1"}, follow_redirects=True)
    assert "Reminder sent to 3 organizations." in sent.get_data(as_text=True)
    reminded = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind.like("reminder_%"))
    ).all()
    assert len(reminded) == 3 and all("Two days left!" in m.body for m in reminded)

    again = client.get(url).get_data(as_text=True)
    assert "the next can go from" in again and "Send the reminder" not in again
    refused = client.post(url, data={"send": "1"})
    assert refused.status_code == 400
    assert (
        db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.kind.like("reminder_%"))
        )
        == 3
    )


def _mails_before(statement) -> int:
    return db.session.scalar(
        select(func.count(OutboxMessage.id)).where(~OutboxMessage.kind.like("reminder_%"))
    )


def test_reminder_note_too_long_is_shown_next_to_the_field(app, chased, crew):
    client = signed_in(app, crew["drafter"])
    url = f"/statements/{chased['statement'].id}/reminder"
    response = client.post(url, data={"note": "x" * 1001, "send": "1"})
    assert response.status_code == 400
    assert 'id="note-error"' in response.get_data(as_text=True)
    assert not db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.kind.like("reminder_%"))
    )


def test_reminder_page_refuses_others(app, chased, crew, make_statement):
    statement = chased["statement"]
    for who, status in (("outsider", 403), ("coordinator", 403)):
        client = signed_in(app, crew[who])
        assert client.get(f"/statements/{statement.id}/reminder").status_code == status
    draft = make_statement(StatementState.DRAFT, title="Private draft")
    client = signed_in(app, crew["outsider"])
    assert client.get(f"/statements/{draft.id}/reminder").status_code == 404


# -- the round page's list of statements open for signature -----------------------------------


def test_round_page_lists_open_statements_with_their_public_link(app, client, chased, crew):
    statement = chased["statement"]
    page = client.get(f"/rounds/{crew['round'].slug}").get_data(as_text=True)
    link = f"http://localhost/s/{statement.public_token}"
    assert 'id="open-for-signature"' in page
    assert f'<a href="{link}">{link}</a>' in page  # the visible link works without script
    assert f'data-copy="{link}" hidden' in page
    assert "js/copy-link.js" in page
    assert "Opened" not in page  # the funnel is for the lead

    lead = signed_in(app, crew["drafter"])
    page = lead.get(f"/rounds/{crew['round'].slug}").get_data(as_text=True)
    funnel = re.sub(r"\s+", " ", page[page.index('<dl class="funnel">') :][:400])
    assert "<dt>Opened</dt><dd>6</dd>" in funnel.replace(" ", "")
    assert "<dt>Approved</dt><dd>2</dd>" in funnel.replace(" ", "")


def test_closed_or_private_statements_are_not_listed(client, crew, make_statement):
    make_statement(StatementState.DRAFT, title="Secret draft")
    closed = make_statement(StatementState.SIGNING, title="Closed early")
    closed.signon_deadline = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = client.get(f"/rounds/{crew['round'].slug}").get_data(as_text=True)
    assert "open-for-signature" not in page and "Secret draft" not in page


# -- queries do not grow with the data --------------------------------------------------------


def _grow(crew, make_org, make_user, n: int) -> None:
    """n more organizations (half unverified) signing n statements, some submitted, with join
    requests and invitations for the lead's admin."""
    from portal.models import Membership, MembershipState
    from portal.statements import workflow

    round_, drafter, lead = crew["round"], crew["drafter"], crew["lead"]
    inviting = make_org(name="Inviting Alliance")
    inviter = make_user(org=inviting, role=MemberRole.ADMIN)
    for i in range(n):
        org = make_org(
            name=f"Grown {i}",
            status=VerificationStatus.PENDING if i % 2 else VerificationStatus.VERIFIED,
        )
        statement = statements.create_statement(
            drafter, round_, area=round_.areas[0], organization=lead, title=f"S{i}", body="Text."
        )
        workflow.apply(statement, "open_signing", drafter)
        if i % 3 == 0:
            workflow.apply(statement, "submit", drafter)
        db.session.add(
            Signature(
                statement=statement,
                organization=org,
                revision=statement.current_revision,
                text_hash=statement.current_revision.text_hash,
                name_key=f"grown {i}",
                country="KE",
            )
        )
        db.session.add(
            Membership(user=make_user(), organization=lead, state=MembershipState.REQUESTED)
        )
        other = statements.create_statement(
            inviter, round_, area=round_.areas[0], organization=inviting, title=f"O{i}", body="T."
        )
        statements.invite_drafter(inviter, other, lead)
    db.session.commit()


def test_desk_queries_do_not_grow_with_the_data(app, chased, crew, make_org, make_user):
    coordinator = crew["coordinator"]
    coordinator.site_role = SiteRole.COORDINATOR
    # The coordinator also administers the lead: both halves of the desk are on the page.
    from portal.models import Membership

    db.session.add(Membership(user=coordinator, organization=crew["lead"], role=MemberRole.ADMIN))
    db.session.commit()
    client = signed_in(app, coordinator)
    round_url = f"/rounds/{crew['round'].slug}"
    small = {url: count_queries(client, url, fresh=True) for url in ("/desk", "/", round_url)}
    _grow(crew, make_org, make_user, 12)
    large = {url: count_queries(client, url, fresh=True) for url in ("/desk", "/", round_url)}
    assert large == small, (small, large)
    page = client.get("/desk").get_data(as_text=True)
    assert "<strong>12</strong> requests to join Lead Coalition" in page
    assert "<strong>12</strong> invitations to co-draft" in page
    waiting = db.session.scalar(
        select(func.count(Statement.id)).where(Statement.state == StatementState.SUBMITTED)
    )
    assert f"<strong>{waiting}</strong> statements submitted and waiting" in page
    pending = db.session.scalar(
        select(func.count(Organization.id)).where(Organization.status == VerificationStatus.PENDING)
    )
    assert f"<strong>{pending}</strong> organizations to verify" in page


def test_failed_emails_badge_on_the_outbox(app, crew):
    from portal.models import OutboxStatus

    db.session.add(
        OutboxMessage(
            recipient="x@example.org", subject="s", body="b", kind="k", status=OutboxStatus.FAILED
        )
    )
    db.session.commit()
    client = signed_in(app, crew["coordinator"])
    page = client.get("/desk").get_data(as_text=True)
    assert re.search(
        r'Outbox <span class="badge nav-badge">1<span class="visually-hidden"> failed', page
    )
    assert 'href="/outbox"><strong>1</strong> e-mail failed</a> in the last 7 days' in page
    member = signed_in(app, crew["drafter"])
    assert "nav-badge" not in member.get("/desk").get_data(as_text=True)
