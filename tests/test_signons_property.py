"""One truth about who signed, as a property: for random sequences of sign, confirm, approve
(one and in bulk), reject, withdraw, merge, substantive edit, re-confirm, approve-the-statement and
correct-the-list, the statement page, the public CSV, the XLSX, the round ZIP's CSV, the PDF (read
back), the counts and the e-mails all name the same organizations in the same order — the ones an
independent model of the rule expects.

The cheap outputs are compared after every step; the pages over HTTP and the PDF (the slow part)
once, at the end of each sequence.
"""

import csv
import html
import io
import random
import re
import unicodedata
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.exports import list_corrections
from portal.exports.official import statement_document
from portal.exports.prepared import build_exports
from portal.extensions import db
from portal.models import OutboxMessage, Revision, Signature, SignatureState, StatementState
from portal.models.organizations import country_name
from portal.pdf import render_statement_pdf
from portal.signons import decisions, list_files, listing, operations
from portal.statements import workflow
from tests import signons_support as support
from tests.helpers.clients import signed_in
from tests.pdf_helpers import signatory_entries

SEEDS = range(36)
STEPS = 16
# Names that sort differently folded and raw (accents, case), and a look-alike to merge.
NAMES = [
    ("Éire Migrant Aid", "IE"),
    ("alpha Network", "KE"),
    ("Zeta Union", "BR"),
    ("Beta Collective", "FR"),
    ("Ñandú Migrantes", "PH"),
    ("delta Women", "KE"),
    ("ALPHA network", "KE"),
]


def _fold(name):
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().split())


def expected_live(statement):
    """The rule, written out independently: approved, named, backing the latest substantive
    text; alphabetical by folded name."""
    latest = db.session.scalar(
        select(func.max(Revision.number)).where(
            Revision.statement_id == statement.id, Revision.substantive.is_(True)
        )
    )
    rows = []
    for s in db.session.scalars(select(Signature).where(Signature.statement_id == statement.id)):
        backed = (s.reconfirmed_revision or s.revision).number
        if s.state == SignatureState.APPROVED and s.publish and backed >= latest:
            place = country_name(s.organization.country)
            rows.append((_fold(s.organization.name), s.organization.name.casefold(), place, s.id))
    return [
        (db.session.get(Signature, sid).organization.name, place, sid)
        for _f, _c, place, sid in sorted(rows)
    ]


class Run:
    """One random sequence against one statement; `frozen` is the model's published list."""

    def __init__(self, cast, statement, rng):
        self.cast, self.statement, self.rng = cast, statement, rng
        self.frozen = None
        self.told_listed = None
        self.number = 0

    def signatures(self, *states):
        return list(
            db.session.scalars(
                select(Signature)
                .where(Signature.statement_id == self.statement.id, Signature.state.in_(states))
                .order_by(Signature.id)
            )
        )

    def pick(self, *states):
        found = self.signatures(*states)
        return self.rng.choice(found) if found else None

    # -- the actions; each may be refused (OperationError), which must change nothing ---------

    def sign(self):
        name, country = self.rng.choice(NAMES)
        self.number += 1
        support.sign_publicly(
            self.statement, name, country, email=f"signer{self.number}@example.org"
        )

    def member_sign(self):
        cast = self.cast
        operations.sign(
            cast["signatory"],
            self.statement,
            cast["signer_org"],
            self.statement.current_revision_id,
        )

    def approve(self):
        signature = self.pick(SignatureState.PENDING)
        if signature is not None:
            decisions.approve(self.cast["coordinator"], signature)

    def approve_many(self):
        ids = [s.id for s in self.signatures(SignatureState.PENDING, SignatureState.APPROVED)]
        if ids:
            decisions.approve_many(self.cast["coordinator"], self.statement.round, ids)

    def reject(self):
        signature = self.pick(SignatureState.PENDING, SignatureState.APPROVED)
        if signature is not None:
            decisions.reject(self.cast["coordinator"], signature, "Not an organization we know.")

    def withdraw(self):
        signature = self.pick(SignatureState.PENDING, SignatureState.APPROVED)
        if signature is not None:
            operations.withdraw(None, signature)

    def merge(self):
        live = self.signatures(SignatureState.PENDING, SignatureState.APPROVED)
        pairs = [(a, b) for a in live for b in live if a.id != b.id and a.name_key == b.name_key]
        if pairs:
            duplicate, keep = self.rng.choice(pairs)
            decisions.merge(self.cast["coordinator"], duplicate, keep)

    def edit(self):
        revision = self.statement.current_revision
        support.operations.save_revision(
            self.cast["drafter"],
            self.statement,
            base_revision_id=revision.id,
            title=revision.title,
            body=revision.body + f"\nA new ask {self.rng.randint(1, 10**6)}.\n",
            substantive=self.rng.random() < 0.8,
        )

    def reconfirm(self):
        signature = self.pick(SignatureState.PENDING, SignatureState.APPROVED)
        if signature is not None:
            operations.reconfirm(None, signature)

    def approve_statement(self):
        if self.statement.state == StatementState.SIGNING:
            workflow.apply(self.statement, "submit", self.cast["drafter"])
        review_ = workflow.apply(self.statement, "approve", self.cast["coordinator"])
        build_exports(review_.id)  # what the approval operation does (exports/prepared.py)
        self.frozen = expected_live(self.statement)
        self.told_listed = None

    def correct(self):
        rows = listing.published_rows(listing.approval(self.statement))
        if rows:
            gone = self.rng.choice(rows)["signature_id"]
            list_corrections.correct_published_list(
                self.cast["coordinator"], self.statement, [gone], "Asked to leave the list."
            )
            self.frozen = [entry for entry in self.frozen if entry[2] != gone]

    # While signing: what signers and coordinators do, weighted as it happens.
    SIGNING = {
        "sign": 6,
        "member_sign": 1,
        "approve": 5,
        "approve_many": 1,
        "reject": 1,
        "withdraw": 1,
        "merge": 1,
        "edit": 1,
        "reconfirm": 2,
    }
    # After approval: corrections, and decisions that the frozen list must refuse.
    PUBLISHED = {"correct": 2, "approve": 1, "reject": 1, "withdraw": 1, "merge": 1, "sign": 1}

    def step(self, actions: dict) -> str:
        names, weights = zip(*actions.items(), strict=True)
        action = self.rng.choices(names, weights)[0]
        self.take(action)
        return action

    def take(self, action: str) -> None:
        try:
            getattr(self, action)()
        except OperationError:
            db.session.rollback()
        else:
            db.session.commit()


def expected(run):
    """(name, place) of the organizations the model says are listed, in order."""
    entries = run.frozen if run.frozen is not None else expected_live(run.statement)
    return [(name, place) for name, place, _id in entries]


def check_cheap(run):
    """The list, the public CSV rows, the XLSX rows marked listed and the counts."""
    want = expected(run)
    signed = listing.listing(run.statement)
    assert [(e.name, e.place) for e in signed.entries] == want
    assert [tuple(row[:2]) for row in list_files.public_rows(signed)] == want
    full = list_files.full_rows(signed)
    listed_column = list_files.FULL_COLUMNS.index("listed")
    place_column = list_files.FULL_COLUMNS.index("place")
    assert [(r[0], r[place_column]) for r in full if r[listed_column] == "yes"] == want
    assert signed.counts.listed == len(want)


def _page_list(page: str) -> list[tuple[str, str]]:
    found = re.search(r'<ul class="signatory-list">(.*?)</ul>', page, re.S)
    items = re.findall(r"<li>(.*?) <small>\((.*?)\)</small></li>", found.group(1))
    return [(html.unescape(n), html.unescape(p)) for n, p in items] if found else []


def check_outputs(app, run):
    """Every output over HTTP, the PDF read back, and the e-mails."""
    want = expected(run)
    statement = run.statement
    client = signed_in(app, run.cast["coordinator"])
    page = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert (_page_list(page) if want else []) == want
    assert f"<strong>{len(want)}</strong> listed" in page
    body = client.get(f"/s/{statement.public_token}/signatories.csv").get_data(as_text=True)
    # Name and place lead each row; the accreditation columns follow them.
    assert [tuple(r[:2]) for r in csv.reader(io.StringIO(body))][1:] == want
    sheet = load_workbook(
        io.BytesIO(client.get(f"/statements/{statement.id}/signatures.xlsx").data)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    listed = rows[0].index("listed")
    place = rows[0].index("place")
    assert [(r[0], r[place]) for r in rows[1:] if r[listed] == "yes"] == want
    if statement.state == StatementState.APPROVED:
        zipped = client.get(f"/rounds/{statement.round.slug}/statements.zip").data
        archive = zipfile.ZipFile(io.BytesIO(zipped))
        zipped = list(csv.DictReader(io.StringIO(archive.read("signatories.csv").decode())))
        assert [(r["organization"], r["place"]) for r in zipped] == want
        pdf = client.get(f"/published/{statement.id}.pdf").data
        published = client.get(f"/published/{statement.id}").get_data(as_text=True)
        assert f"Signed by {len(want)} organization" in published
    else:
        pdf = render_statement_pdf(statement_document(statement, draft_label="DRAFT"))
    printed = [text for _page, text in signatory_entries(pdf)]
    assert printed == [f"{name} ({place})" for name, place in want]
    check_mails(run)


def check_mails(run):
    """At approval each signer was told whether its organization is listed: exactly the
    organizations of the list frozen then."""
    if run.told_listed is None:
        return
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "signature_statement_approved")
    ).all()
    told = sorted(
        m.body.split(" is on its signatory list")[0].rsplit("\n", 1)[-1]
        for m in messages
        if "is on its signatory list" in m.body
    )
    assert told == sorted(name for name, _place, _id in run.told_listed)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_output_names_the_same_signatories(app, cast, statement_in, seed):
    rng = random.Random(seed)
    cast["round"].auto_approve_verified = seed % 2 == 0
    run = Run(cast, statement_in(), rng)
    for _ in range(STEPS):
        run.step(Run.SIGNING)
        check_cheap(run)
    if seed % 4:  # most sequences go on to approval, then corrections and refused decisions
        run.take("approve_statement")
        assert run.frozen is not None
        run.told_listed = list(run.frozen)
        check_cheap(run)
        for _ in range(rng.randint(1, 4)):
            run.step(Run.PUBLISHED)
            check_cheap(run)
    check_outputs(app, run)
