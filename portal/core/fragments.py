"""Rendered pieces of pages, kept by what they show: a round's list of 200 statements or a
published list of 1,500 names is rendered once per version of its data, not once per view.

The caller names the piece and passes its version — the values the piece shows, or a digest
of them read in one cheap query (a round's statements and approvals, a list's stored hash) —
and the viewer's part of it (a coordinator and a visitor see different rows). The key adds
the site's version (a deploy changes every piece), the interface language and the host the
links are built for. A piece never goes stale: data that changes changes its key, and the old
entry is left to expire.

Where pieces are kept: Redis when REDIS_URL is configured (shared by the workers, each entry
for FRAGMENT_CACHE_SECONDS), else a bounded map in the process (FRAGMENT_CACHE_BYTES); a
Redis that does not answer is a miss, never an error page. FRAGMENT_CACHE_BYTES=0 turns the
cache off.

A piece may hold forms: while the piece is rendered, the CSRF token the template asks for is a
stand-in, swapped on every view for the viewer's own token, so a kept form posts from the
session that shows it.

A kept piece is HTML our autoescaping templates wrote, marked safe again when it is read back.
Whoever can write to the Redis could therefore write a page: the same trust the job queue
already places in it (RQ runs what it reads there).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app, g, has_request_context, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..locale_formats import current_language
from .conditional import site_version

log = logging.getLogger(__name__)

# Not a token any form could carry: swapped for the real one before the piece leaves the server.
CSRF_STAND_IN = "\x00csrf-token\x00"
_PREFIX = "portal:fragment:"


def csrf_token() -> str:
    """The template global `csrf_token()`: the stand-in while a piece is being rendered."""
    if g.get("rendering_fragment"):
        return CSRF_STAND_IN
    return generate_csrf()


class LocalStore:
    """Least recently used pieces up to a total size, each for its time, for one process
    (thread-safe: gunicorn's threaded workers share it)."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return item[1]

    def set(self, key: str, value: str, seconds: int) -> None:
        if len(value) > self.limit:
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic() + seconds, value)
            self.size += len(value)
            while self.size > self.limit:
                self._drop(next(iter(self._items)))

    def _drop(self, key: str) -> None:
        _, value = self._items.pop(key)
        self.size -= len(value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


class RedisStore:
    def __init__(self, url: str):
        from redis import Redis  # noqa: PLC0415  (only deployments with Redis load the client)

        self.redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def get(self, key: str) -> str | None:
        try:
            value = self.redis.get(key)
        except Exception as error:  # noqa: BLE001  (a cache that fails is a miss)
            log.warning("fragment cache unavailable: %s", error)
            return None
        return value.decode() if isinstance(value, bytes) else value

    def set(self, key: str, value: str, seconds: int) -> None:
        try:
            self.redis.set(key, value.encode(), ex=seconds)
        except Exception as error:  # noqa: BLE001
            log.warning("fragment cache unavailable: %s", error)


def init_app(app) -> None:
    limit = int(app.config.get("FRAGMENT_CACHE_BYTES", 32 * 1024 * 1024))
    store: LocalStore | RedisStore | None = None
    if limit > 0:
        url = app.config.get("REDIS_URL")
        store = RedisStore(url) if url else LocalStore(limit)
    app.extensions["fragments"] = store
    # Flask-WTF offers its own `csrf_token` both ways; a later context processor wins.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})


def key_of(name: str, version: tuple) -> str:
    host = request.host_url if has_request_context() else ""  # links built outside: SITE_URL
    parts = (site_version(), current_language(), host, name, version)
    return _PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()


Version = tuple | Callable[[], tuple]


def remember(name: str, version: Version, compute: Callable[[], str], seconds: int | None = None):
    """The text `compute()` gives for `name` at `version`, kept for `seconds` (the configured
    time when None). `version` may be a function: with no cache it is not even asked."""
    store = current_app.extensions.get("fragments")
    if store is None:
        return compute()
    key = key_of(name, version() if callable(version) else version)
    text = store.get(key)
    if text is None:
        text = compute()
        store.set(key, text, seconds or int(current_app.config.get("FRAGMENT_CACHE_SECONDS", 3600)))
    return text


def fragment(
    name: str, version: Version, render: Callable[[], str], seconds: int | None = None
) -> Markup:
    """The piece `name` at `version`: from the cache, or rendered by `render()` and kept."""
    html = remember(name, version, lambda: _rendered(name, render), seconds)
    if CSRF_STAND_IN in html:
        html = html.replace(CSRF_STAND_IN, generate_csrf())
    return Markup(html)  # noqa: S704  (our autoescaping templates wrote it: module docstring)


def _rendered(name: str, render: Callable[[], str]) -> str:
    outer, g.rendering_fragment = g.get("rendering_fragment", False), True
    try:
        html = render()
    finally:
        g.rendering_fragment = outer  # a piece inside a piece leaves the outer one's stand-in on
    # A form's own hidden_tag() writes this session's token itself: kept, it would go to
    # every viewer. Such a form stays outside the piece.
    token = g.get("csrf_token")
    if token and token in html:
        raise RuntimeError(f"The piece {name!r} holds a CSRF token: render its form outside.")
    return html
