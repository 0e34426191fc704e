"""Profile the statement page and its signatories page with 1,500 signatories, through the
test client (SQLite in a temporary folder), and print time per view, the top of cProfile's table
and the garbage collections the views cost.

    PYTHONPATH=$PWD .venv/bin/python -m bench.page_profile [--signatures 1500] [--views 40]

Not a `make bench` module (no budget): the figures go to docs/performance.md.
"""

import argparse
import cProfile
import gc
import io
import pstats
import tempfile
import time
from datetime import timedelta

from .bench_compendium import COUNTRIES, generate
from .fixtures import open_round

PASSWORD = "correct horse battery staple"


def build(db, signatures: int):
    """A statement open for signatures with `signatures` approved sign-ons, and a coordinator."""
    from portal.models import (
        Organization,
        Revision,
        Signature,
        SiteRole,
        Statement,
        User,
        utcnow,
    )
    from portal.text import text_hash, word_count

    doc = generate(1)[0]
    round_ = open_round(title=doc.round, process_title=doc.process)
    round_.signon_deadline = utcnow() + timedelta(days=10)
    lead = Organization(slug="lead", name=doc.lead, country="KE", status="verified")
    statement = Statement(
        round=round_, area=round_.areas[0], lead_organization=lead, state="signing"
    )
    db.session.add_all([round_, lead, statement])
    db.session.flush()
    revision = Revision(
        statement_id=statement.id,
        number=1,
        title=doc.title,
        body=doc.body,
        text_hash=text_hash(doc.title, doc.body),
        word_count=word_count(doc.body),
    )
    db.session.add(revision)
    db.session.flush()
    statement.current_revision = revision
    for i in range(signatures):
        country = COUNTRIES[i % len(COUNTRIES)]
        org = Organization(slug=f"org-{i}", name=f"Organization {i:05d}", country=country)
        db.session.add(org)
        db.session.add(
            Signature(
                statement=statement,
                organization=org,
                revision=revision,
                text_hash=revision.text_hash,
                state="approved",
                country=country,
                name_key=f"organization {i:05d}",
            )
        )
    user = User(email="coordinator@example.net", name="Coordinator")
    user.set_password(PASSWORD)
    user.email_confirmed_at = utcnow()
    user.site_role = SiteRole.COORDINATOR
    db.session.add(user)
    db.session.commit()
    return statement.id, user.email


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signatures", type=int, default=1500)
    parser.add_argument("--views", type=int, default=40)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--gc-freeze", action="store_true", help="gc.freeze() after start-up, as wsgi.py does"
    )
    args = parser.parse_args()

    from portal import create_app
    from portal.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/profile.sqlite3",
                "ARTIFACT_DIR": f"{tmp}/artifacts",
                "RATELIMIT_ENABLED": False,
                "WTF_CSRF_ENABLED": False,
                "TESTING": True,
            }
        )
        with app.app_context():
            db.create_all()
            statement_id, email = build(db, args.signatures)
            db.session.remove()
        client = app.test_client()
        if args.gc_freeze:
            gc.freeze()
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        for url in (f"/statements/{statement_id}", f"/statements/{statement_id}/signatures"):
            _profile(client, url, args)


def _profile(client, url: str, args) -> None:
    assert client.get(url).status_code == 200  # warm caches and templates
    collections = {0: 0, 1: 0, 2: 0}
    spent = {0: 0.0, 1: 0.0, 2: 0.0}
    started_gc = [0.0]

    def watch(phase, info):
        if phase == "start":
            started_gc[0] = time.perf_counter()
        else:
            collections[info["generation"]] += 1
            spent[info["generation"]] += time.perf_counter() - started_gc[0]

    gc.callbacks.append(watch)
    times = []
    try:
        for _ in range(args.views):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
    finally:
        gc.callbacks.remove(watch)
    times.sort()
    print(f"== GET {url}: {len(response.data):,} bytes")
    print(
        f"   median {times[len(times) // 2] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms "
        f"over {args.views} views"
    )
    for generation, label in ((2, "full"), (1, "gen-1"), (0, "gen-0")):
        n = collections[generation]
        each = spent[generation] / n * 1000 if n else 0
        print(f"   GC {label}: {n} collections, {each:.1f} ms each")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print("\n".join(line for line in out.getvalue().splitlines()[:-1] if line.strip()))


if __name__ == "__main__":
    main()
