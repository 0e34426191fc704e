"""The sign-on queue at scale: approve all on the page or all matching the filter (read again
server-side), filters kept across pages, a constant number of queries per page."""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Signature
from portal.signons.queries import PAGE_SIZE
from tests.helpers.clients import signed_in
from tests.query_count import count_queries
from tests.signons_support import bulk_signatures


@pytest.fixture
def coordinator(app, cast):
    return signed_in(app, cast["coordinator"])


def _states() -> dict[str, int]:
    rows = db.session.execute(select(Signature.state, func.count()).group_by(Signature.state))
    return dict(rows.all())


def _url(cast) -> str:
    return f"/rounds/{cast['round'].slug}/signons"


def _hidden(form_html: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form_html
    ):
        fields.setdefault(name, []).append(value)
    return fields


def _form_with(page: str, button_text: str) -> str:
    forms = re.findall(r"<form method=\"post\".*?</form>", page, re.S)
    return next(f for f in forms if button_text in f)


def test_approve_all_on_this_page(coordinator, cast, statement_in):
    statement = statement_in()
    bulk_signatures(statement, PAGE_SIZE + 5)
    page = coordinator.get(_url(cast)).get_data(as_text=True)
    form = _form_with(page, f"Approve all {PAGE_SIZE} on this page")
    fields = _hidden(form)
    assert len(fields["signature"]) == PAGE_SIZE
    response = coordinator.post(f"{_url(cast)}/approve", data=fields)
    assert response.status_code == 302
    assert _states() == {"approved": PAGE_SIZE, "pending": 5}


def test_approve_all_matching_the_filter_reads_them_again(coordinator, cast, statement_in):
    statement = statement_in()
    bulk_signatures(statement, PAGE_SIZE + 10)
    # One sign-on from another country: the filter leaves it out.
    other = db.session.scalars(select(Signature).order_by(Signature.id.desc())).first()
    other.country = "PH"
    db.session.commit()
    page = coordinator.get(_url(cast), query_string={"country": "KE"}).get_data(as_text=True)
    total = PAGE_SIZE + 9
    form = _form_with(page, f"Approve all {total} matching the filter")
    fields = _hidden(form)
    assert fields["all_matching"] == ["1"] and fields["expected"] == [str(total)]
    assert fields["country"] == ["KE"] and fields["state"] == ["pending"]
    assert "signature" not in fields  # the ids are not posted: the server reads them
    response = coordinator.post(f"{_url(cast)}/approve", data=fields)
    assert response.status_code == 302
    assert "country=KE" in response.headers["Location"]
    assert _states() == {"approved": total, "pending": 1}
    approvals = db.session.scalars(select(AuditEvent).filter_by(action="signature.approve")).all()
    assert {e.actor_id for e in approvals} == {cast["coordinator"].id} and len(approvals) == total


def test_approve_all_matching_refuses_when_the_list_changed(coordinator, cast, statement_in):
    statement = statement_in()
    bulk_signatures(statement, PAGE_SIZE + 1)
    page = coordinator.get(_url(cast)).get_data(as_text=True)
    fields = _hidden(_form_with(page, "matching the filter"))
    bulk_signatures(statement, 1, start=PAGE_SIZE + 1)  # a new sign-on meanwhile
    response = coordinator.post(f"{_url(cast)}/approve", data=fields, follow_redirects=True)
    assert "The list changed since the page was loaded" in response.get_data(as_text=True)
    assert _states() == {"pending": PAGE_SIZE + 2}


def test_all_matching_is_offered_only_for_pending_over_several_pages(
    coordinator, cast, statement_in
):
    statement = statement_in()
    bulk_signatures(statement, 3)
    page = coordinator.get(_url(cast)).get_data(as_text=True)
    assert "matching the filter" not in page and "Approve all 3 on this page" in page
    bulk_signatures(statement, PAGE_SIZE, start=3)
    any_state = coordinator.get(_url(cast), query_string={"state": ""}).get_data(as_text=True)
    assert "matching the filter" not in any_state


def test_all_matching_without_csrf_changes_nothing(coordinator, cast, statement_in):
    statement = statement_in()
    bulk_signatures(statement, PAGE_SIZE + 1)
    data = {"all_matching": "1", "expected": str(PAGE_SIZE + 1), "state": "pending"}
    response = coordinator.post(f"{_url(cast)}/approve", data=data, csrf=False)
    assert response.status_code == 400
    assert _states() == {"pending": PAGE_SIZE + 1}


def test_pages_keep_the_filter_and_cost_the_same_queries(coordinator, cast, statement_in):
    statement = statement_in()
    bulk_signatures(statement, 3 * PAGE_SIZE)
    url = _url(cast)
    count_queries(coordinator, f"{url}?country=KE")  # the first request warms caches
    first = count_queries(coordinator, f"{url}?country=KE")
    page = coordinator.get(url, query_string={"country": "KE"}).get_data(as_text=True)
    assert "page 1 of 3" in page
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "country=KE" in next_link
    assert count_queries(coordinator, next_link) == first
    assert count_queries(coordinator, f"{url}?country=KE&page=3") == first
    # Kept, a page costs fewer queries still: its version, not its rows.
    coordinator.get(f"{url}?country=KE&page=3")
    assert count_queries(coordinator, f"{url}?country=KE&page=3", kept=True) < first


def test_filters_are_labelled_fields(coordinator, cast, statement_in):
    statement_in()
    page = coordinator.get(_url(cast)).get_data(as_text=True)
    for name in ("statement", "state", "country", "kind"):
        assert f'<label for="f-{name}">' in page
    assert 'class="filters"' in page and "css/queue.css" in page and "js/select-all.js" in page
