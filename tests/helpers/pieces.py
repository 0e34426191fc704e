"""Query budgets measure what a page costs when it is rendered: with its kept pieces
(portal/core/fragments.py) off, a page renders everything it shows."""

from contextlib import contextmanager


@contextmanager
def rendered_in_full(app):
    store, app.extensions["fragments"] = app.extensions.get("fragments"), None
    try:
        yield
    finally:
        app.extensions["fragments"] = store
