"""The browser's own time beside a round's time (static/js/localtime.js), for a visitor who has
no profile timezone: added when the browser's zone differs from the round's, not otherwise."""

import pytest
from playwright.sync_api import expect


@pytest.fixture
def visitor_in(browser, live_server):
    contexts = []

    def make(zone):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id=zone)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_a_visitor_elsewhere_gets_their_own_time(visitor_in, world):
    page = visitor_in("Asia/Manila")
    page.goto(f"/rounds/{world['round']}")
    deadline = page.locator("dt:text-is('Submission deadline') + dd")
    expect(deadline).to_contain_text("(America/New_York)")
    expect(deadline.locator(".viewer-time")).to_contain_text("your time:")
    expect(deadline.locator(".viewer-time")).to_contain_text("GMT+8")


def test_a_visitor_in_the_rounds_timezone_sees_one_time(visitor_in, world):
    page = visitor_in("America/New_York")
    page.goto(f"/rounds/{world['round']}")
    expect(page.locator("dt:text-is('Submission deadline') + dd")).to_contain_text("America")
    page.wait_for_load_state("networkidle")
    assert page.locator(".viewer-time").count() == 0
