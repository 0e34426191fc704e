"""The Statement Portal: civil-society joint statements, from draft to the PDF delegations read.

The package imports nothing itself: `portal render` (a file to PDF) starts without Flask, the
database layer or the app; `create_app` loads them when an app is wanted (portal/app.py)."""


def create_app(config: dict | None = None):
    from .app import create_app as build

    return build(config)
