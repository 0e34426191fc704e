"""An Atom feed (RFC 4287) per round: its newly published statements, newest first."""

from xml.etree import ElementTree as ET

from flask import Blueprint, abort

from . import queries
from .documents import absolute_url, statement_summary
from .http import conditional, protect, timestamp

bp = Blueprint("feeds", __name__)
protect(bp)

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50  # a feed says what is new; the API lists everything


def _add(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _entry(feed, publication) -> None:
    summary = statement_summary(publication)
    entry = _add(feed, "entry", **{"xml:lang": summary["language"]})
    _add(entry, "id", summary["links"]["html"])
    _add(entry, "title", summary["title"], type="text")
    # The published text never changes after approval: published and updated are the same.
    _add(entry, "updated", summary["published_at"])
    _add(entry, "published", summary["published_at"])
    author = _add(entry, "author")
    _add(author, "name", summary["lead_organization"]["name"])
    _add(author, "uri", summary["lead_organization"]["html"])
    links = summary["links"]
    _add(entry, "link", rel="alternate", type="text/html", href=links["html"])
    _add(entry, "link", rel="enclosure", type="application/pdf", href=links["pdf"])
    _add(entry, "link", rel="related", type="application/json", href=links["self"])
    _add(entry, "category", term=summary["area"])
    count = summary["signatory_count"]
    organizations = "organization" if count == 1 else "organizations"
    _add(
        entry,
        "summary",
        f"{summary['area']}. Led by {summary['lead_organization']['name']}; "
        f"signed by {count} {organizations}.",
        type="text",
    )


def round_feed_xml(slug: str) -> bytes | None:
    round_ = queries.round_by_slug(slug)
    if round_ is None:
        return None
    latest = queries.latest_publications(round_, ENTRIES)
    feed_url = absolute_url("feeds.round_feed", slug=slug)
    page_url = absolute_url("rounds.round_detail", slug=slug)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    _add(feed, "id", feed_url)
    _add(feed, "title", f"{round_.title}: published statements", type="text")
    _add(feed, "subtitle", round_.process.title, type="text")
    updated = latest[0].review.created_at if latest else round_.created_at
    _add(feed, "updated", timestamp(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    _add(_add(feed, "author"), "name", round_.process.title)
    _add(feed, "generator", "Statement Portal")
    for publication in latest:
        _entry(feed, publication)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@bp.get("/rounds/<slug>/feed.atom")
def round_feed(slug):
    body = round_feed_xml(slug)
    if body is None:
        abort(404)
    return conditional(body, "application/atom+xml")
