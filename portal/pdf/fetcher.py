"""The only way WeasyPrint may read anything: the portal's own static fonts and stylesheets.

WeasyPrint's default fetcher follows any URL — http(s) (a remote image makes the renderer call
out), file:// (``<link rel="attachment" href="file:///etc/passwd">`` embeds the file in the PDF)
and data:. This one serves files under ``static/fonts`` and ``static/css`` with a known suffix and
refuses everything else before any I/O happens; it never opens a connection, so there is no
redirect to follow.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..config import ROOT

STATIC = (ROOT / "static").resolve()
STATIC_BASE_URL = STATIC.as_uri() + "/"
SERVED = {
    "fonts": {".ttf", ".otf", ".woff", ".woff2"},
    "css": {".css"},
}
TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}


class RefusedURL(ValueError):
    """A URL the renderer will not fetch."""


class SafeURLFetcher(URLFetcher):
    """Serves ``static/fonts`` and ``static/css`` files; refuses any other URL."""

    def __init__(self, root: Path = STATIC, **kwargs):
        kwargs.setdefault("allowed_protocols", ("file",))
        kwargs["allow_redirects"] = False
        super().__init__(**kwargs)
        self.root = Path(root).resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        path = self._local_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"the PDF renderer fetches only the portal's static files: {url!r}")
        body = path.read_bytes()
        content_type = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        headers = {"Content-Type": content_type or "application/octet-stream"}
        return URLFetcherResponse(path.as_uri(), body, headers)

    def _local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(unquote(parts.path)).resolve()
            relative = path.relative_to(self.root)
        except (ValueError, OSError):
            return None
        if len(relative.parts) < 2 or path.suffix.lower() not in SERVED.get(relative.parts[0], ()):
            return None
        return path if path.is_file() else None


def safe_fetcher() -> SafeURLFetcher:
    """A fresh fetcher for one rendering (it records what it refused)."""
    return SafeURLFetcher()
