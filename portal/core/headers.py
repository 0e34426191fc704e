"""Security headers on every response: pages, errors, static files and downloads alike.

Pages get a Content-Security-Policy that allows scripts, styles, images and fonts from this site
only and no inline script or style: an injected `<script>` or `onclick=` that slipped past the
sanitizer does not run. Templates therefore carry no `style=`, `<script>` body or `on*=`
attribute; behaviour lives in static/js, looks in static/css.

Files that are not pages get a policy fitted to them: nothing at all may load from a CSV, ZIP or
DOCX should a browser ever display one, while a PDF keeps what Chrome's built-in viewer needs (it
draws the PDF through an internal <embed> and inline styles, which `object-src 'none'` and
`default-src` would block).
"""

from flask import request, session

PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PDF_POLICY = "frame-ancestors 'self'"
FILE_POLICY = "default-src 'none'; frame-ancestors 'none'"
# A stand-alone HTML document the portal serves (the HTML export of a statement): its styles are
# inline so that the saved file looks the same offline; it may run and load nothing.
STANDALONE_DOCUMENT_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
# Types a browser renders as a document that could run script.
DOCUMENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml"})

COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
# A year; sent only over HTTPS (request.is_secure sees the proxy's scheme through ProxyFix), so
# a plain-HTTP demo on 127.0.0.1 never pins a browser to HTTPS.
HSTS = "max-age=31536000; includeSubDomains"


def policy_for(mimetype: str | None) -> str:
    if mimetype in DOCUMENT_TYPES:
        return PAGE_POLICY
    if mimetype == "application/pdf":
        return PDF_POLICY
    return FILE_POLICY


def add_security_headers(response):
    # setdefault: a view that serves something special (a stand-alone document) sets its own.
    policy = response.headers.setdefault("Content-Security-Policy", policy_for(response.mimetype))
    # For browsers that predate frame-ancestors.
    framing = "SAMEORIGIN" if "frame-ancestors 'self'" in policy else "DENY"
    response.headers.setdefault("X-Frame-Options", framing)
    for name, value in COMMON.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # What a signed-in person is shown (their drafts, roles, names) is theirs: a shared cache
    # must not keep it for the next visitor. Read from the session, not current_user, so that
    # a response that did not load the person costs no query for it.
    cache = response.cache_control
    if "_user_id" in session and not (cache.private or cache.no_store):
        cache.private = True
    return response


def init_app(app) -> None:
    app.after_request(add_security_headers)
