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
