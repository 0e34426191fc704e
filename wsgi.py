"""WSGI entry point: `gunicorn wsgi:app`."""

import gc

from portal import create_app

app = create_app()
# Everything imported and built so far (SQLAlchemy's mappers, Jinja's templates, pycountry's
# tables) lives as long as the worker: frozen out of the collector's sight, a full collection
# walks only what requests allocated instead of every object of the process (docs/performance.md).
gc.freeze()
