"""The journey's rough edges in a real browser: the registration form shows one organization
section at a time, the coordinator's sign-on queue selects all on the page and approves, and the
queue, the round page, the review page and the home page's deadline cards fit a 375 px phone."""

from playwright.sync_api import expect
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Organization, Signature, SignatureState, StatementState
from tests.signons_support import bulk_signatures

PHONE = {"width": 375, "height": 800}
LONG_ZONE = "America/Argentina/Buenos_Aires"


def _fits(page, path: str) -> None:
    page.goto(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways: {width}px wide"


def test_registration_shows_one_organization_section_at_a_time(page, make_org):
    make_org(name="Existing Network")
    page.goto("/register")
    new, join = page.locator(".org-new"), page.locator(".org-join")
    expect(new).to_be_visible()
    expect(join).to_be_hidden()
    page.get_by_label("Ask to join an organization already on the portal").check()
    expect(join).to_be_visible()
    expect(new).to_be_hidden()


def test_queue_selects_all_on_the_page_and_fits_a_phone(page, sign_in, cast, statement_in):
    statement = statement_in()
    bulk_signatures(statement, 12)
    # A long web address and contact must wrap inside the phone's width.
    org = db.session.scalar(select(Organization).where(Organization.slug == "bulk-0"))
    org.website = "https://www.a-very-long-organization-domain-name.example.org/about/us/who"
    db.session.commit()

    page.set_viewport_size(PHONE)
    sign_in(cast["coordinator"])
    queue = f"/rounds/{cast['round'].slug}/signons"
    _fits(page, queue)
    select_all = page.get_by_label("Select all on this page")
    expect(select_all).to_be_visible()  # shown by the script
    select_all.check()
    boxes = page.locator('input[type=checkbox][form="bulk"]')
    assert boxes.count() == 12
    for i in range(12):
        expect(boxes.nth(i)).to_be_checked()
    boxes.nth(0).uncheck()
    assert select_all.evaluate("el => el.indeterminate")
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_text("11 sign-ons approved.")).to_be_visible()
    approved = db.session.scalar(
        select(func.count()).where(Signature.state == SignatureState.APPROVED)
    )
    assert approved == 11
    _fits(page, queue)


def test_round_review_and_home_pages_fit_a_phone(page, sign_in, cast, statement_in, make_round):
    make_round(title="Round in a long zone", timezone=LONG_ZONE)
    statement = statement_in(StatementState.SIGNING)
    page.set_viewport_size(PHONE)
    page.goto("/")
    expect(page.get_by_text(LONG_ZONE).first).to_be_visible()
    for card in page.locator(".card").all():
        box = card.bounding_box()
        for dd in card.locator("dd").all():
            inner = dd.bounding_box()
            assert inner["x"] + inner["width"] <= box["x"] + box["width"] + 0.5
    _fits(page, "/")
    _fits(page, "/register")
    sign_in(cast["drafter"])
    _fits(page, f"/statements/{statement.id}")
    expect(page.get_by_text("Submitting closes sign-on")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    sign_in(cast["coordinator"])
    _fits(page, f"/rounds/{cast['round'].slug}")
    _fits(page, f"/review/statements/{statement.id}")
