"""The review queue and the decision page run as many queries for 30 statements, signatures and
comments as for 2."""

from portal.extensions import db
from portal.models import Comment, SignatureState, StatementState
from portal.statements import workflow
from tests.query_count import count_queries

S = StatementState


def _statements(make_statement, n: int) -> None:
    """n statements in the queue: every other one waiting, the rest decided."""
    for i in range(n):
        make_statement(S.SUBMITTED if i % 2 else S.APPROVED, title=f"Statement {i:02d}")


def test_review_queue_queries_do_not_grow_with_statements(crew, make_statement, client, login):
    login(crew["coordinator"])
    url = f"/rounds/{crew['round'].slug}/review"
    _statements(make_statement, 2)
    client.get(url)  # warm up the session and the templates
    small = count_queries(client, url, fresh=True)
    _statements(make_statement, 28)
    large = count_queries(client, url, fresh=True)
    assert small == large, (small, large)
    assert client.get(url).get_data(as_text=True).count("/review/statements/") == 30


def _grow(statement, make_user, sign, n: int, start: int) -> None:
    """n signatures (approved and pending) and n open comments, each from another organization
    and person."""
    for i in range(start, start + n):
        state = SignatureState.PENDING if i % 3 == 0 else SignatureState.APPROVED
        signature = sign(statement, f"Signer {i:03d}", state=state)
        author = make_user(name=f"Commenter {i:03d}", org=signature.organization)
        db.session.add(
            Comment(
                statement=statement,
                author=author,
                organization=signature.organization,
                revision_id=statement.current_revision_id,
                body=f"Comment {i}",
            )
        )
    db.session.commit()


def test_decision_page_queries_do_not_grow_with_signatures_and_comments(
    crew, make_statement, make_user, sign, client, login
):
    statement = make_statement(S.SIGNING)
    workflow.apply(statement, "submit", crew["drafter"])
    db.session.commit()
    login(crew["coordinator"])
    url = f"/review/statements/{statement.id}"
    _grow(statement, make_user, sign, 2, 0)
    client.get(url)  # warm up the session and the templates
    small = count_queries(client, url, fresh=True)
    _grow(statement, make_user, sign, 28, 2)
    large = count_queries(client, url, fresh=True)
    assert small == large, (small, large)
    page = client.get(url).get_data(as_text=True)
    assert "Open comments (30)" in page and "Signer 029" in page
