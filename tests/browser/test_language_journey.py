"""A French-speaking visitor: the browser's language picks French (pages and the script's own
words), the header's switcher moves to Spanish and the choice holds on the next pages."""

import pytest
from playwright.sync_api import expect


@pytest.fixture
def french_visitor(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Asia/Manila"
    )
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_french_then_spanish_through_the_switcher(french_visitor, world):
    page = french_visitor
    page.goto(f"/rounds/{world['round']}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    deadline = page.locator("dt:text-is('Date limite de soumission') + dd")
    expect(deadline).to_contain_text("(America/New_York)")
    expect(deadline.locator(".viewer-time")).to_contain_text("votre heure :")
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.endswith(f"/rounds/{world['round']}")
    expect(page.locator("dt:text-is('Fecha límite de presentación')")).to_be_visible()
    page.get_by_role("link", name="Iniciar sesión").first.click()
    expect(page.get_by_label("Contraseña")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
