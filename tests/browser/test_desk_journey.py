"""The desk in a real browser: the coordinator signs in and lands on the desk, follows a count to
the sign-on queue; the lead previews and sends a reminder from the desk; a visitor copies a
statement's public sign-on link from the round page."""

import re

from playwright.sync_api import expect


def test_desk_journey(page, sign_in, crew, chased, live_server):
    statement = chased["statement"]
    sign_in(crew["coordinator"])
    expect(page).to_have_url(re.compile(r"/desk$"))
    expect(page.get_by_role("link", name=re.compile(r"^Desk 3"))).to_be_visible()
    page.get_by_role("link", name="2 sign-ons pending").click()
    expect(page).to_have_url(re.compile(rf"/rounds/{crew['round'].slug}/signons$"))
    page.get_by_role("button", name="Sign out").click()

    sign_in(crew["drafter"])
    page.goto("/desk")
    page.get_by_role("link", name=f"Send a reminder about {statement.title}").click()
    page.get_by_label(re.compile("A note from you")).fill("Two days left, please re-confirm.")
    page.get_by_role("button", name="Preview the messages").click()
    expect(page.locator(".mail-body").first).to_contain_text("Two days left, please re-confirm.")
    page.get_by_role("button", name="Send the reminder").click()
    expect(page.get_by_text("Reminder sent to 3 organizations.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # A visitor copies the public link from the round page (the button appears with script).
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"/rounds/{crew['round'].slug}")
    section = page.locator("#open-for-signature")
    link = f"{live_server.url}/s/{statement.public_token}"
    expect(section.get_by_role("link", name=link)).to_be_visible()
    section.get_by_role("button", name=re.compile("^Copy link")).click()
    expect(section.get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link
