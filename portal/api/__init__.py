"""The public read API (JSON, /api/v1) and the Atom feeds: only what is published.

Approved statements, the rounds, and the signatory lists as frozen at approval — never a draft,
never a statement still in signing or review. Described by ``openapi.json`` beside this file and
in docs/api.md. Nothing here changes state or reads the session: the answers are the same for
everyone, so they can be cached and shared across origins.
"""


def register(app) -> None:
    from .feeds import bp as feeds_bp
    from .views import bp as api_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(feeds_bp)


def protect(blueprint) -> None:
    """The API's rate limit (API_RATE_LIMIT) on every view of the blueprint, and no CSRF check:
    nothing here writes, and cross-origin readers have no token to send."""
    from flask import current_app

    from ..extensions import csrf, limiter

    limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", "600 per hour"))(blueprint)
    csrf.exempt(blueprint)
