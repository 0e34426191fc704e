"""Sign-on budgets: bulk-approving 1,000 pending sign-ons in one request (aim under 2 s), and the
coordinator's queue page costing the same number of SQL queries with 20 and with 5,000 sign-ons.

Runs on SQLite in a temporary directory, or on BENCH_DATABASE_URL (e.g. PostgreSQL) when set.
"""

import os
import re
import tempfile
import time

from flask import current_app, g
from sqlalchemy import event, func, select

from .fixtures import open_round

APPROVE_BUDGET_S = 2.0
PASSWORD = "bench-password"
TOKEN_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1


def _app():
    from portal import create_app

    workdir = tempfile.mkdtemp(prefix="bench-signons-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "ARTIFACT_DIR": f"{workdir}/artifacts",
        }
    )


def _setup():
    """A coordinator, a lead organization and a statement open for signatures."""
    from portal.extensions import db
    from portal.models import (
        Membership,
        Organization,
        SiteRole,
        StatementState,
        User,
        VerificationStatus,
        utcnow,
    )
    from portal.statements import operations

    org = Organization(slug="lead", name="Lead", country="KE", status=VerificationStatus.VERIFIED)
    # Confirmed: an account that may not act yet holds none of its organization's roles.
    drafter = User(email="lead@example.org", name="Lead", email_confirmed_at=utcnow())
    coordinator = User(email="coord@example.org", name="Coordinator", email_confirmed_at=utcnow())
    coordinator.site_role = SiteRole.COORDINATOR
    for user in (drafter, coordinator):
        user.set_password(PASSWORD)
    round_ = open_round()
    db.session.add_all([org, drafter, coordinator, round_])
    db.session.add(Membership(user=drafter, organization=org, role="admin"))
    db.session.flush()
    statement = operations.create_statement(
        drafter, round_, area=round_.areas[0], organization=org, title="Bench", body="Text."
    )
    statement.state = StatementState.SIGNING
    db.session.commit()
    return round_, statement, coordinator


def _add_pending(statement, count: int, start: int) -> None:
    """`count` organizations with a pending signature each, inserted set-wise."""
    from portal.extensions import db
    from portal.models import Organization, Signature, utcnow

    now = utcnow()
    db.session.execute(
        Organization.__table__.insert(),
        [
            {"slug": f"org-{i}", "name": f"Organization {i}", "country": "KE", "kind": "ngo",
             "status": "pending", "created_at": now}
            for i in range(start, start + count)
        ],
    )  # fmt: skip
    ids = db.session.scalars(
        select(Organization.id).where(Organization.slug.like("org-%")).order_by(Organization.id)
    ).all()[start:]
    db.session.execute(
        Signature.__table__.insert(),
        [
            {"statement_id": statement.id, "organization_id": oid,
             "revision_id": statement.current_revision_id, "text_hash": "0" * 64,
             "state": "pending", "source": "member", "created_at": now,
             "name_key": f"organization {oid}", "country": "KE", "publish": True,
             "kept_apart": False}
            for oid in ids
        ],
    )  # fmt: skip
    db.session.commit()


def _client(app, coordinator):
    client = app.test_client()
    token = TOKEN_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post(
        "/login", data={"email": coordinator.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    return client, token


def _queue_queries(client, url) -> tuple[int, float]:
    """Queries and time of the page rendered in full: no kept pieces (portal/core/fragments.py),
    and `g` cleared (the bench's app context outlives its requests)."""
    from portal.extensions import db

    current_app.extensions["fragments"] = None
    client.get(url)
    for key in list(g):
        g.pop(key)
    counter = _Counter()
    event.listen(db.engine, "before_cursor_execute", counter)
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200, response.status_code
    return counter.count, elapsed


def run() -> list[str]:
    from portal.extensions import db
    from portal.models import AuditEvent, Signature

    app = _app()
    lines = []
    with app.app_context():
        db.create_all()
        round_, statement, coordinator = _setup()
        client, token = _client(app, coordinator)
        url = f"/rounds/{round_.slug}/signons"

        _add_pending(statement, 20, 0)
        small, small_ms = _queue_queries(client, url)
        _add_pending(statement, 4980, 20)
        large, large_ms = _queue_queries(client, url)
        lines.append(f"queue page, 20 sign-ons: {small} queries, {small_ms * 1000:.0f} ms")
        lines.append(f"queue page, 5,000 sign-ons: {large} queries, {large_ms * 1000:.0f} ms")
        same = "ok" if small == large else "OVER BUDGET"
        lines.append(f"queue page queries constant from 20 to 5,000: {same}")

        ids = db.session.scalars(
            select(Signature.id)
            .where(Signature.state == "pending")
            .order_by(Signature.id)
            .limit(1000)
        ).all()
        started = time.perf_counter()
        response = client.post(
            f"{url}/approve", data={"signature": [str(i) for i in ids], "csrf_token": token}
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        approved = db.session.scalar(
            select(func.count()).select_from(Signature).where(Signature.state == "approved")
        )
        audited = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "signature.approve")
        )
        verdict = (
            "ok" if elapsed < APPROVE_BUDGET_S and approved == audited == 1000 else "OVER BUDGET"
        )
        lines.append(
            f"bulk approve of {approved:,} pending sign-ons in one request: "
            f"{elapsed * 1000:.0f} ms, "
            f"{audited:,} audit events (aim < {APPROVE_BUDGET_S:.0f} s) {verdict}"
        )
        db.session.remove()
        db.engine.dispose()
    return lines
