"""The signatory rule has two forms: `listing.standing()` decides one signature in Python (the
statement's pages, the PDF), `listing.with_standing()` decides many in SQL (the desk's counts,
the sign-on queue). They must agree on every combination of state, revision signed,
re-confirmation and publish flag."""

import itertools

from sqlalchemy import select

from portal.desk.signatures import awaiting_counts
from portal.extensions import db
from portal.models import Organization, Revision, Signature, SignatureState, StatementState
from portal.signons import listing

STATES = [
    (SignatureState.PENDING, False),
    (SignatureState.APPROVED, False),
    (SignatureState.WITHDRAWN, False),
    (SignatureState.REJECTED, False),
    (SignatureState.REJECTED, True),  # merged into another sign-on
]


def _revision(statement, number, substantive):
    revision = Revision(
        statement=statement,
        number=number,
        title="Joint statement",
        body=f"Text {number}",
        substantive=substantive,
        text_hash=f"{number:064d}",
    )
    db.session.add(revision)
    return revision


def test_sql_and_python_forms_agree_on_every_combination(cast, statement_in):
    statement = statement_in(StatementState.SIGNING)
    first = db.session.scalar(select(Revision).filter_by(statement_id=statement.id, number=1))
    # Revision 2 is the latest substantive one; 3 is a correction of spelling after it.
    revisions = [first, _revision(statement, 2, True), _revision(statement, 3, False)]
    db.session.flush()
    anchor = Signature(
        statement=statement,
        organization=cast["other_org"],
        revision=first,
        text_hash=first.text_hash,
        state=SignatureState.REJECTED,
    )
    db.session.add(anchor)
    db.session.flush()
    combinations = itertools.product(STATES, revisions, [None, *revisions], [True, False])
    for n, ((state, merged), signed, reconfirmed, publish) in enumerate(combinations):
        org = Organization(slug=f"rule-{n}", name=f"Rule {n}", country="KE")
        db.session.add(
            Signature(
                statement=statement,
                organization=org,
                revision=signed,
                text_hash=signed.text_hash,
                reconfirmed_revision=reconfirmed,
                state=state,
                merged_into_id=anchor.id if merged else None,
                publish=publish,
            )
        )
    db.session.commit()

    latest = listing.latest_substantive_number(statement.id)
    assert latest == 2
    query, rule = listing.with_standing(select(Signature))
    rows = db.session.execute(
        query.add_columns(
            rule.standing().label("standing"),
            rule.earlier_text.label("earlier"),
            rule.pending.label("pending"),
            rule.listed.label("listed"),
        ).where(Signature.statement_id == statement.id)
    ).all()
    assert len(rows) == 1 + len(STATES) * 3 * 4 * 2
    disagreements = []
    for signature, in_sql, earlier, pending, listed in rows:
        expected = listing.standing(signature, latest)
        flags = (bool(earlier), bool(pending), bool(listed))
        wanted = tuple(
            expected == s
            for s in (
                listing.Standing.EARLIER_TEXT,
                listing.Standing.PENDING,
                listing.Standing.LISTED,
            )
        )
        if in_sql != expected.value or flags != wanted:
            disagreements.append((signature.state, signature.revision.number, expected, in_sql))
    assert not disagreements
    # Every standing the Python form gives (LATE only comes from a frozen list) is reached.
    assert {row.standing for row in rows} == {s.value for s in listing.Standing} - {"late"}

    counts = awaiting_counts([statement.id])[statement.id]
    standings = [listing.standing(row[0], latest) for row in rows]
    assert counts.pending == standings.count(listing.Standing.PENDING)
    assert counts.earlier == standings.count(listing.Standing.EARLIER_TEXT)
