"""Submission, review and publication through HTTP: buttons, decisions, access per role."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, StatementState
from tests.helpers.audit import assert_audited

S = StatementState


def test_lead_submits_from_the_statement_page(crew, make_statement, client_for):
    statement = make_statement(S.SIGNING)
    client = client_for(crew["drafter"])
    page = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "Submit to the round" in page
    response = client.post(f"/statements/{statement.id}/submit")
    assert response.status_code == 302
    db.session.refresh(statement)
    assert statement.state == S.SUBMITTED
    assert_audited(
        "statement.submit", actor=crew["drafter"], subject=statement, organization=crew["lead"]
    )
    page = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "locked while a coordinator reviews it" in page
    assert "Submit to the round" not in page


def test_submit_without_csrf_is_refused(crew, make_statement, client_for):
    statement = make_statement(S.SIGNING)
    response = client_for(crew["drafter"]).post(f"/statements/{statement.id}/submit", csrf=False)
    assert response.status_code == 400
    db.session.refresh(statement)
    assert statement.state == S.SIGNING


def test_outsider_cannot_submit(crew, make_statement, client_for):
    statement = make_statement(S.SIGNING)
    response = client_for(crew["outsider"]).post(f"/statements/{statement.id}/submit")
    assert response.status_code == 403
    db.session.refresh(statement)
    assert statement.state == S.SIGNING


@pytest.mark.parametrize("who, status", [("outsider", 403), ("drafter", 403), (None, 302)])
def test_review_pages_are_for_coordinators(crew, make_statement, client_for, who, status):
    statement = make_statement(S.SUBMITTED)
    client = client_for(crew[who] if who else None)
    assert client.get(f"/review/statements/{statement.id}").status_code == status
    assert client.get(f"/rounds/{crew['round'].slug}/review").status_code == status


def test_request_changes_needs_a_message_next_to_the_field(crew, make_statement, client_for):
    statement = make_statement(S.SUBMITTED)
    client = client_for(crew["coordinator"])
    response = client.post(
        f"/review/statements/{statement.id}", data={"decision": "request_changes", "message": ""}
    )
    assert response.status_code == 422
    assert 'id="message-error"' in response.get_data(as_text=True)
    db.session.refresh(statement)
    assert statement.state == S.SUBMITTED


def test_queue_diff_and_decision(crew, make_statement, client_for, sign):
    from portal.statements import operations, workflow

    statement = make_statement(S.CHANGES_REQUESTED)
    sign(statement, "Signing Friends")
    operations.save_revision(
        crew["drafter"],
        statement,
        base_revision_id=statement.current_revision_id,
        title=statement.title,
        body=statement.current_revision.body.replace("for all", "for every migrant"),
    )
    workflow.apply(statement, "resume", crew["drafter"])
    workflow.apply(statement, "submit", crew["drafter"])
    db.session.commit()
    client = client_for(crew["coordinator"])
    queue = client.get(f"/rounds/{crew['round'].slug}/review").get_data(as_text=True)
    assert statement.title in queue
    page = client.get(f"/review/statements/{statement.id}").get_data(as_text=True)
    assert "Changes since submission 1" in page
    assert "<ins>" in page and "every migrant" in page
    assert "of an earlier text" in page and "Signing Friends" in page
    response = client.post(
        f"/review/statements/{statement.id}", data={"decision": "approve", "message": "Thanks."}
    )
    assert response.status_code == 302
    db.session.refresh(statement)
    assert statement.state == S.APPROVED
    # Published by the coordinator who decided, as the request's signed-in user.
    assert_audited(
        "statement.approve",
        actor=crew["coordinator"],
        subject=statement,
        organization=crew["lead"],
        message="Thanks.",
    )
    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert "statement_approved" in kinds


def test_publication_pages(crew, make_statement, client_for, sign):
    statement = make_statement(S.SIGNING)
    sign(statement, "Zeta Union", country="FR")
    sign(statement, "Alpha Aid", country="BR")
    from portal.review import operations as review_ops

    review_ops.submit(crew["drafter"], statement)
    review_ops.decide(crew["coordinator"], statement, "approve")
    db.session.commit()
    visitor = client_for(None)
    round_page = visitor.get(f"/rounds/{crew['round'].slug}").get_data(as_text=True)
    assert statement.title in round_page and f"/published/{statement.id}.pdf" in round_page
    page = visitor.get(f"/published/{statement.id}").get_data(as_text=True)
    assert "Signed by 2 organizations" in page
    assert page.index("Alpha Aid") < page.index("Zeta Union")
    assert "example.org/report" in page  # the footnote, with its link
    pdf = visitor.get(f"/published/{statement.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_unapproved_statements_are_not_published(crew, make_statement, client_for):
    statement = make_statement(S.SUBMITTED)
    visitor = client_for(None)
    assert visitor.get(f"/published/{statement.id}").status_code == 404
    assert visitor.get(f"/published/{statement.id}.pdf").status_code == 404
    assert visitor.get(f"/published/{statement.id}.docx").status_code == 404


def test_withdraw_page(crew, make_statement, client_for):
    statement = make_statement(S.SIGNING)
    client = client_for(crew["drafter"])
    assert client.get(f"/statements/{statement.id}/withdraw").status_code == 200
    response = client.post(f"/statements/{statement.id}/withdraw", data={"message": "Merged."})
    assert response.status_code == 302
    db.session.refresh(statement)
    assert statement.state == S.WITHDRAWN and statement.withdrawn_from == S.SIGNING
    assert_audited(
        "statement.withdraw", actor=crew["drafter"], subject=statement, organization=crew["lead"]
    )
    assert client_for(crew["outsider"]).get(f"/statements/{statement.id}/withdraw").status_code in (
        403,
        404,
    )
