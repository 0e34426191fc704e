"""Conditional GET for public pages: an ETag computed from what the page shows, checked before
the page is rendered, so a browser that has the page gets 304 for a query or two.

The tag cannot be a hash of the HTML: every page carries a CSRF token signed with the time, so
no two renders are alike. It is a hash of

- the page's own version (the view passes what it shows: ids, hashes, counts, the round phase),
- the site's version (templates, styles and code: a deploy changes every tag),
- the visitor's session CSRF token (the cached copy's forms must still post from this session),
- the interface language the page is written in (the switcher or Accept-Language changes it).

Only visitors who are not signed in get tags: a signed-in person's pages show their roles and
drafts, and are never stored by a shared cache (`Cache-Control: private`, headers.py). A page
with a message to flash is rendered, never answered 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache

from flask import make_response, request, session
from flask_login import current_user

from ..config import ROOT
from ..locale_formats import current_language

_SITE_PARTS = ("templates", "static/css", "static/js", "portal")


@lru_cache(maxsize=1)
def site_version() -> str:
    """A digest of the files that shape a page (once per process: a few hundred small files)."""
    digest = hashlib.sha256()
    for part in _SITE_PARTS:
        for path in sorted((ROOT / part).rglob("*")):
            if path.is_file() and path.suffix in {".html", ".css", ".js", ".py", ".json"}:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_tag(version: tuple) -> str | None:
    """The page's ETag for this visitor, or None when the page must be rendered."""
    if current_user.is_authenticated or session.get("_flashes"):
        return None
    parts = (site_version(), session.get("csrf_token", ""), current_language(), *version)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def conditional_page(version: tuple, render: Callable):
    """304 when the visitor's copy is current, else the rendered page with its tag."""
    tag = page_tag(version)
    if tag is not None and request.if_none_match.contains(tag):
        response = make_response("", 304)
    else:
        response = make_response(render())
        # Rendering may have started the session (its CSRF token): tag the copy sent.
        tag = page_tag(version)
    if tag is not None:
        response.set_etag(tag)
    # Every browser asks again before reusing the page; only the browser keeps it.
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response
