"""Where a view goes back to after a POST: the `next` a page sent along, when it stays on this
site. Every view that reads `next` goes through `safe_next`, so an attacker's link cannot turn
the portal into an open redirect (a phishing page behind a trusted sign-in)."""

from urllib.parse import urlsplit

from flask import redirect, request


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site; None for anything that could leave it."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash ("/\\evil.example") and drop tabs and newlines.
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def redirect_next(default: str):
    """A redirect to the submitted `next` (form field, else query string) when it is safe, else
    to `default`."""
    return redirect(safe_next(request.form.get("next") or request.args.get("next")) or default)
