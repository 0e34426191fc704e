"""Small things people read: download file names and the time-zone list."""

from forms.choices import timezone_pairs
from portal.exports.official import slug


def test_file_names_are_cut_after_a_whole_word():
    title = "Civil society statement on the second round of negotiations of the Global Compact"
    name = slug(title)
    assert len(name) <= 60
    assert name == "civil-society-statement-on-the-second-round-of-negotiations"
    assert slug("Ünïcode — déclaration") == "unicode-declaration"
    assert slug("x" * 80) == "x" * 60  # one long word is still cut
    assert slug("¿?") == "x"


def test_time_zones_offer_current_names_only():
    zones = [value for value, _ in timezone_pairs()]
    assert "Africa/Asmara" in zones and "Africa/Asmera" not in zones
    assert "US/Eastern" not in zones and "America/New_York" in zones
    assert "UTC" in zones and "Europe/Oslo" in zones


def test_a_protected_page_asks_to_sign_in_in_the_sites_words(client):
    response = client.get("/statements/mine")
    assert response.status_code == 302
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sign in to see this page." in login_page and "log in" not in login_page.lower()
    assert "Sign in to see this page." not in client.get("/").get_data(as_text=True)
