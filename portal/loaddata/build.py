"""Build the load-test round through the operations the app uses: people registered, their
organizations registered and (most) verified by the coordinator, statements drafted by their
lead, opened for signatures, signed by each organization's admin (who holds the signatory role),
sign-ons of unverified organizations approved by the coordinator, then submitted and reviewed.
Every row therefore has its audit events and e-mails, and every rule (signatory role, one live
signature per organization, the current revision, deadlines) was checked as in the app.

The work is committed statement by statement, so memory stays flat and progress is visible.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from datetime import date

from flask import current_app
from sqlalchemy import select

from ..config import ROOT
from ..extensions import db
from ..models import Membership, Organization, Round, User
from ..seeding import SeedReport, seed_organizations, seed_process, seed_users
from ..text import parse_document
from .names import OrgSpec, organizations
from .plan import LoadDataError, Plan
from .statements import build_statements

__all__ = ["LoadDataError", "Plan", "generate", "model_body"]

PASSWORD = "load-bench-2018-password"  # noqa: S105  (published: the bench signs in with it)
COORDINATOR = "coordinator@load.example.org"
PROCESS_SLUG = "load-test"
VERIFIED_SHARE = 0.9
# Cheaper scrypt for the generated accounts: 1,500 hashes at the production cost take minutes of
# CPU, and nobody but the bench signs in to them (with the published password above).
LOAD_HASH_METHOD = "scrypt:1024:8:1"
FIRST = ("Amina", "Carlos", "Fatou", "Maria", "Rey", "Lena", "Kofi", "Priya", "Ahmed", "Sofía",
         "Jean", "Nadia", "Tomás", "Grace", "Olu", "Mei", "Yusuf", "Ana", "Pedro",
         "Hana")  # fmt: skip
LAST = ("Mensah", "López", "Ndiaye", "Santos", "Dizon", "Fischer", "Okafor", "Sharma", "Haddad",
        "García", "Dupont", "Rahman", "Silva", "Wanjiru", "Adeyemi", "Chen", "Yilmaz")  # fmt: skip


def _people(specs: list[OrgSpec], rng: random.Random) -> list[dict]:
    people = []
    for i, _spec in enumerate(specs):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = unicodedata.normalize("NFKD", f"{first}.{last}.{i}").encode("ascii", "ignore")
        email = f"{local.decode().lower()}@load.example.org"
        people.append({"name": f"{first} {last}", "email": email, "timezone": "UTC"})
    return people


def _round_data(plan: Plan) -> dict:
    return {
        "process": {
            "slug": PROCESS_SLUG,
            "title": "Global Compact for Safe, Orderly and Regular Migration (load test)",
            "short_title": "GCM load test",
        },
        "rounds": [
            {
                "number": 1,
                "title": "Second round of intergovernmental negotiations",
                "slug": "load-test-round",
                "place": "United Nations Headquarters, New York",
                "meeting_start": "2018-03-12",
                "meeting_end": "2018-03-15",
                "timezone": "America/New_York",
                "opens_at": "-30d 09:00",
                # Far off, so a cached database stays usable for months of bench runs.
                "signon_deadline": "+365d 18:00",
                "submission_deadline": "+372d 18:00",
                "auto_approve_verified": True,
                "areas": [
                    "Irregular – Regular",
                    "Migrant – Refugee",
                    "Implementation and Capacity Building",
                    "Follow-up and Review",
                ],
            }  # fmt: skip
        ],
    }


def generate(plan: Plan, model_body: str, progress: Callable[[str], None] = print) -> dict:
    """Fill an empty database with the plan's round; return what the bench needs to know."""
    plan.check()
    rng = random.Random(plan.seed)
    config = current_app.config
    saved_method = config.get("PASSWORD_HASH_METHOD")
    config["PASSWORD_HASH_METHOD"] = LOAD_HASH_METHOD
    try:
        coordinator, orgs = _people_and_organizations(plan, rng, progress)
    finally:
        if saved_method is None:
            config.pop("PASSWORD_HASH_METHOD", None)
        else:
            config["PASSWORD_HASH_METHOD"] = saved_method
    seed_process(_round_data(plan), coordinator, date.today(), SeedReport())
    db.session.commit()
    round_ = db.session.scalars(select(Round).where(Round.slug == "load-test-round")).one()
    return build_statements(plan, rng, round_, coordinator, orgs, model_body, progress)


def _people_and_organizations(plan: Plan, rng: random.Random, progress):
    specs = organizations(plan.organizations, rng)
    people = _people(specs, rng)
    users = [{"name": "Load Coordinator", "email": COORDINATOR, "site_role": "coordinator"}]
    seed_users({"password": PASSWORD, "users": users}, SeedReport())
    coordinator = db.session.scalars(select(User).where(User.email == COORDINATOR)).one()
    batch = 100
    for start in range(0, len(specs), batch):
        chunk = list(zip(specs[start : start + batch], people[start : start + batch], strict=True))
        seed_users({"password": PASSWORD, "users": [p for _, p in chunk]}, SeedReport())
        entries = [
            {
                "name": spec.name,
                "acronym": spec.acronym,
                "country": spec.country,
                "kind": spec.kind,
                "website": spec.website,
                "status": "verified" if rng.random() < VERIFIED_SHARE else "pending",
                "registered_by": person["email"],
            }
            for spec, person in chunk
        ]
        seed_organizations({"organizations": entries}, coordinator, SeedReport())
        db.session.commit()
        progress(f"organizations: {min(start + batch, len(specs)):,} of {len(specs):,}")
    rows = db.session.execute(
        select(Organization, User)
        .join(Membership, Membership.organization_id == Organization.id)
        .join(User, User.id == Membership.user_id)
        .where(User.email.like("%@load.example.org"), User.id != coordinator.id)
        .order_by(Organization.id)
    ).all()
    return coordinator, [(org.id, user.id) for org, user in rows]


def model_body() -> str:
    path = ROOT / "seeds" / "statements" / "gcm-2018-round-2.md"
    return parse_document(path.read_text(encoding="utf-8"))[1]
