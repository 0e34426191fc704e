"""Translating in the browser: a drafter of an approved statement adds a French translation in
the editor (the preview follows the typing), and the public page then offers the statement in
English and French, each with its PDF and the same signatory list."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

FRENCH = """## Nos demandes

Les droits des migrants sont des droits humains.[^1]

[^1]: Voir <https://example.org/rapport>.
"""


def test_a_drafter_adds_a_french_translation_and_the_public_page_offers_it(
    page, sign_in, crew, approved, live_server
):
    sign_in(crew["drafter"])
    page.goto(f"/statements/{approved.id}")
    page.get_by_role("link", name="Translations").click()
    expect(page.get_by_text("No translation yet.")).to_be_visible()
    page.get_by_role("link", name="Add a translation").click()
    page.get_by_label("Language of the translation").select_option(label="French")
    page.get_by_label("Title").fill("Déclaration commune")
    page.get_by_label("Text", exact=True).fill(FRENCH)
    preview = page.locator("[data-preview]")
    expect(preview.locator("h2")).to_have_text("Nos demandes")  # rendered by the server, live
    page.get_by_role("button", name="Save the translation").click()
    expect(page.get_by_text("The French translation is saved.")).to_be_visible()
    expect(page.get_by_text("Revision 1 of the original")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # A visitor finds both languages on the public page.
    page.goto(f"/published/{approved.id}")
    languages = page.get_by_role("navigation", name="Languages")
    expect(languages.get_by_role("link", name="English", exact=True)).to_have_attribute(
        "hreflang", "en"
    )
    expect(languages.get_by_role("link", name="Français", exact=True)).to_have_attribute(
        "hreflang", "fr"
    )
    expect(languages.get_by_role("link", name="PDF in English")).to_be_visible()
    expect(languages.get_by_role("link", name="PDF in French")).to_be_visible()
    languages.get_by_role("link", name="Français", exact=True).click()
    expect(page.get_by_role("heading", name="Déclaration commune")).to_be_visible()
    expect(page.locator("#signatories")).to_contain_text("Alpha Aid (Brazil)")

    # The one signatory list in each language's PDF, in that language's words.
    for code, href, signed_by, names in (
        (
            "en",
            f"/published/{approved.id}.pdf",
            "Signed by 2 organizations",
            ("Alpha Aid (Brazil)", "Zeta Union (France)"),
        ),
        (
            "fr",
            f"/published/{approved.id}/fr.pdf",
            "Signée par 2 organisations",
            ("Alpha Aid (Brésil)", "Zeta Union (France)"),
        ),
    ):
        response = page.request.get(live_server.url + href)
        assert response.ok and response.body().startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(response.body()))
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        assert reader.trailer["/Root"]["/Lang"] == code
        listed = text[text.index(signed_by) :].split(" Page ")[0]
        assert all(name in listed for name in names), listed
        assert listed.index(names[0]) < listed.index(names[1])
