"""The application factory: configuration, extensions, blueprints and commands."""

import logging
from urllib.parse import urlsplit

from flask import Flask

from . import mail
from .config import INSTANCE, ROOT, Config
from .extensions import csrf, db, limiter, login_manager, migrate


class PortalFlask(Flask):
    def create_url_adapter(self, request):
        # Outside a request (CLI, seeds, background jobs) links in e-mails and PDFs are built
        # against SITE_URL instead of failing for want of SERVER_NAME.
        if request is None and not self.config.get("SERVER_NAME"):
            parts = urlsplit(self.config["SITE_URL"])
            return self.url_map.bind(
                parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
            )
        return super().create_url_adapter(request)


def create_app(config: dict | None = None) -> Flask:
    app = PortalFlask(
        "portal",  # the package: the app's name and its logger's, as before the factory moved
        instance_path=str(INSTANCE),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(Config())
    if config:
        app.config.update(config)
    from .core import inputs

    inputs.init_app(app)  # before the blueprints: their rules take the bounded `int`
    INSTANCE.mkdir(exist_ok=True)
    logging.basicConfig(level=logging.INFO)
    # WeasyPrint and fontTools narrate every render at INFO; keep their warnings only.
    for noisy in ("weasyprint", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    from .models.accounts import AnonymousUser

    login_manager.anonymous_user = AnonymousUser
    from .auth import sessions

    sessions.init_app(app)  # refuses the development SECRET_KEY; session lifetime; proxies
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)

    from . import models  # noqa: F401  (every table registered before the first query)
    from .auth.views import bp as auth_bp
    from .core.views import bp as core_bp
    from .organizations.views import bp as organizations_bp
    from .rounds.views import bp as rounds_bp
    from .signons.views import bp as signons_bp
    from .statements.views import bp as statements_bp

    for blueprint in (core_bp, auth_bp, organizations_bp, rounds_bp, statements_bp, signons_bp):
        app.register_blueprint(blueprint)

    from .exports.views import bp as exports_bp
    from .review.publication import bp as publication_bp
    from .review.views import bp as review_bp

    for blueprint in (review_bp, publication_bp, exports_bp):
        app.register_blueprint(blueprint)

    from .desk.views import bp as desk_bp

    app.register_blueprint(desk_bp)

    from .api import register as register_api

    register_api(app)

    from .core import errors, headers, template_helpers

    errors.init_app(app)
    headers.init_app(app)
    template_helpers.init_app(app)

    from .cli import register_commands

    register_commands(app)
    return app
