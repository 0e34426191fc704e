"""The compendium of the seeded GCM round 2, read back from the PDF: cover, contents with page
numbers, every approved statement with its signatories, the index of organizations."""

import re
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select

from portal.config import ROOT
from portal.exports import compendium as comp
from portal.extensions import db
from portal.models import (
    Organization,
    Process,
    Round,
    SiteRole,
    Statement,
    StatementState,
    User,
)
from portal.pdf import StatementDocument
from portal.review import operations as review_ops
from portal.statements import operations, workflow
from portal.text import parse_document

from .helpers.rows import imported_signature

SECOND_BODY = """## Labour migration

Decent work for all migrant workers.[^1]

- Ratify ILO Convention 189.
- Portable social protection.

[^1]: ILO, *Fair recruitment*, <https://www.ilo.org/>.
"""


def _approve(statement, lead_user, coordinator):
    if statement.state == StatementState.DRAFT:
        workflow.apply(statement, "open_signing", lead_user)
    review_ops.submit(lead_user, statement)
    review_ops.decide(coordinator, statement, "approve")


@pytest.fixture
def seeded_round(app):
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    process = db.session.scalar(select(Process).where(Process.slug == "gcm-2018"))
    round_ = next(r for r in process.rounds if r.number == 2)
    coordinator = db.session.scalar(
        select(User).where(User.site_role.in_([SiteRole.COORDINATOR, SiteRole.ADMIN]))
    )
    orgs = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    lead_org = next(o for o in orgs if o.name == "Civil Society Action Committee")
    lead_user = next(m.user for m in lead_org.memberships)
    model = db.session.scalar(select(Statement).where(Statement.round_id == round_.id))
    if model is None:
        meta, body = parse_document((ROOT / "seeds/statements/gcm-2018-round-2.md").read_text())
        model = operations.create_statement(
            lead_user,
            round_,
            area=round_.areas[0],
            organization=lead_org,
            title=meta["title"],
            body=body,
        )
    workers = next(o for o in orgs if o.name == "Migrant Workers Solidarity Union")
    worker_user = next(m.user for m in workers.memberships)
    second = operations.create_statement(
        worker_user,
        round_,
        area=round_.areas[2],
        organization=workers,
        title="Decent work in the Global Compact",
        body=SECOND_BODY,
    )
    db.session.flush()
    for org in orgs[:8]:
        imported_signature(model, org)
    for org in orgs[4:]:
        imported_signature(second, org)
    db.session.flush()
    _approve(model, lead_user, coordinator)
    _approve(second, worker_user, coordinator)
    db.session.commit()
    return round_, [model, second], orgs


def _text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_compendium_reads_back(seeded_round, tmp_path):
    round_, statements, orgs = seeded_round
    out = tmp_path / "compendium.pdf"
    steps = []
    pages = comp.write_compendium(comp.round_compendium(round_), out, lambda *a: steps.append(a))
    assert steps[-1][0] == steps[-1][1]  # progress reaches its total
    text = _text(out)
    assert len(text) == pages
    cover = " ".join(text[0].split()).casefold()  # the process is set in capitals
    assert "global compact for safe, orderly and regular migration" in cover
    assert "second round of intergovernmental negotiations" in cover
    assert "12–15 march 2018" in cover and "united nations headquarters" in cover

    assert "Page 1 of" not in text[0]  # the cover carries no number
    for number, page_text in enumerate(text[1:], 2):
        assert f"Page {number} of {pages}" in page_text, f"footer of page {number}"

    contents = text[1]
    assert "Contents" in contents
    starts = {}
    for statement in statements:
        title = statement.title
        # The title's first words, then a dotted leader and the page it starts on.
        match = re.search(re.escape(title[:30]) + r".*?\.{3,}\s*(\d+)", contents, re.S)
        assert match, f"{title} missing from the contents"
        page = int(match.group(1))
        assert title[:30] in text[page - 1], "the contents point at the statement's first page"
        starts[statement.id] = page
    assert "Index of organizations" in contents

    body = "\n".join(text)
    assert "Signed by 8 organizations" in body
    assert f"Signed by {len(orgs) - 4} organizations" in body
    index_start = next(i for i, t in enumerate(text) if t.startswith("Index of organizations"))
    index = "\n".join(text[index_start:])
    for org in orgs:
        assert org.name.split()[0] in index
    # An organization that signed both is listed with both start pages.
    both = orgs[5].name
    # An entry names each statement by its short title, then its start page; it may wrap.
    flat = " ".join(index.split())
    entry = flat[flat.index(both[:20]) :]
    first, second = (
        comp.Entry("", StatementDocument(title=s.title, body="")).short_title for s in statements
    )
    assert entry.split(": ", 1)[1].startswith(
        f"{first} {starts[statements[0].id]}; {second} {starts[statements[1].id]}"
    )


def test_compile_round_is_stored_and_rerunnable(seeded_round):
    round_, _statements, _orgs = seeded_round
    first = comp.compile_round(round_)
    db.session.commit()
    again = comp.compile_round(round_)
    assert again.id == first.id
    from portal.exports.artifacts import file_path

    path = file_path(first)
    assert path.read_bytes().startswith(b"%PDF")
    assert not list(path.parent.glob(".partial-*"))


def test_compile_round_cli(seeded_round, app, tmp_path):
    round_, _statements, _orgs = seeded_round
    out = tmp_path / "out.pdf"
    result = app.test_cli_runner().invoke(args=["compile-round", round_.slug, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 statements" in result.output
    assert out.read_bytes().startswith(b"%PDF")
    missing = app.test_cli_runner().invoke(args=["compile-round", "nope", "-o", str(out)])
    assert missing.exit_code != 0 and "No round" in missing.output


def test_failed_build_leaves_no_partial_file(seeded_round, monkeypatch, tmp_path):
    round_, _statements, _orgs = seeded_round
    out = tmp_path / "broken.pdf"

    def explode(*args, **kwargs):
        raise RuntimeError("killed mid-layout")

    monkeypatch.setattr(comp, "render_document", explode)
    with pytest.raises(RuntimeError):
        comp.write_compendium(comp.round_compendium(round_), out)
    assert not out.exists() and not list(tmp_path.glob(".partial-*"))


def test_unknown_round_has_no_compendium(app, client):
    assert client.get("/rounds/nope/compendium.pdf").status_code == 404
    assert db.session.scalar(select(Round).where(Round.slug == "nope")) is None
