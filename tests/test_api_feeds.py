"""The Atom feed of a round: valid RFC 4287, newest publications first, nothing unpublished."""

from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from portal.models import StatementState

NS = {"a": "http://www.w3.org/2005/Atom"}


def _parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314  (the portal's own output, built with ElementTree)


def _rfc3339(value: str) -> datetime:
    assert value.endswith("Z") and "T" in value, value
    return datetime.fromisoformat(value)


def _absolute(value: str) -> str:
    parts = urlsplit(value)
    assert parts.scheme in ("http", "https") and parts.netloc, value
    return value


def assert_valid_atom(feed: ET.Element) -> None:
    """The RFC 4287 musts this feed relies on."""
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"a:{tag}", NS)) == 1, tag
    _absolute(feed.findtext("a:id", namespaces=NS))
    _rfc3339(feed.findtext("a:updated", namespaces=NS))
    self_links = [link for link in feed.findall("a:link", NS) if link.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].get("type") == "application/atom+xml"
    feed_has_author = feed.find("a:author/a:name", NS) is not None
    ids = []
    for entry in feed.findall("a:entry", NS):
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{tag}", NS)) == 1, tag
        ids.append(_absolute(entry.findtext("a:id", namespaces=NS)))
        _rfc3339(entry.findtext("a:updated", namespaces=NS))
        alternates = [x for x in entry.findall("a:link", NS) if x.get("rel") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("type") == "text/html"
        assert feed_has_author or entry.find("a:author/a:name", NS) is not None
    assert len(ids) == len(set(ids))


def test_round_feed_lists_published_statements_newest_first(
    client, crew, make_statement, make_approved
):
    first = make_approved(title="Older & wiser <asks>")
    second = make_approved(title="Newer", signers=[("Alpha Aid", "KE")])
    make_statement(StatementState.SIGNING, title="Still collecting signatures")
    make_statement(StatementState.SUBMITTED, title="Under review")
    response = client.get(f"/rounds/{crew['round'].slug}/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml" and response.headers["ETag"]
    feed = _parse(response.data)
    assert_valid_atom(feed)
    entries = feed.findall("a:entry", NS)
    titles = [e.findtext("a:title", namespaces=NS) for e in entries]
    assert titles == ["Newer", "Older & wiser <asks>"]
    newest = entries[0]
    links = {link.get("rel"): link.get("href") for link in newest.findall("a:link", NS)}
    assert links["alternate"].endswith(f"/published/{second.id}")
    assert links["enclosure"].endswith(f"/published/{second.id}.pdf")
    assert links["related"].endswith(f"/api/v1/statements/{second.id}")
    assert "signed by 1 organization." in newest.findtext("a:summary", namespaces=NS)
    assert newest.findtext("a:author/a:name", namespaces=NS) == "Lead Coalition"
    assert newest.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.findtext("a:updated", namespaces=NS) == newest.findtext("a:updated", namespaces=NS)
    assert client.get(links["alternate"]).status_code == 200
    assert first.id != second.id


def test_an_empty_round_has_a_valid_feed_and_an_unknown_one_none(client, crew):
    response = client.get(f"/rounds/{crew['round'].slug}/feed.atom")
    feed = _parse(response.data)
    assert_valid_atom(feed)
    assert feed.findall("a:entry", NS) == []
    assert client.get("/rounds/no-such-round/feed.atom").status_code == 404


def test_the_round_page_announces_its_feed(client, crew):
    slug = crew["round"].slug
    page = client.get(f"/rounds/{slug}").get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert f'href="/rounds/{slug}/feed.atom"' in page
    assert f'href="/api/v1/statements?round={slug}"' in page
