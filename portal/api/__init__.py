"""The public read API (JSON, /api/v1) and the Atom feeds: only what is published.

Approved statements, the rounds, and the signatory lists as frozen at approval — never a draft,
never a statement still in signing or review. Described by ``openapi.json`` beside this file and
in docs/api.md; create_app registers its two blueprints (views.py, feed_views.py). Nothing here
changes state or reads the session: the answers are the same for everyone, so they can be cached
and shared across origins.
"""
