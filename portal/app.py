"""The application factory: configuration, extensions, blueprints, commands, and the rules and
events that connect the features (docs/architecture.md)."""

import logging
from urllib.parse import urlsplit

from flask import Flask
from flask_babel import lazy_gettext

from . import mail
from .config import INSTANCE, ROOT, Config, engine_options
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
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    from .core import background, inputs

    background.init_app(app, create_app)  # a worker's job, outside any app, builds one with it
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
    login_manager.login_message = lazy_gettext("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = str  # the lazy message, in the request's language
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
    from .organizations.accreditation_views import bp as accreditation_bp
    from .organizations.views import bp as organizations_bp
    from .rounds.views import bp as rounds_bp
    from .signons.views import bp as signons_bp
    from .statements.views import bp as statements_bp

    for blueprint in (core_bp, auth_bp, organizations_bp, rounds_bp, statements_bp, signons_bp):
        app.register_blueprint(blueprint)

    from .exports.views import bp as exports_bp
    from .review.publication_views import bp as publication_bp
    from .review.views import bp as review_bp

    for blueprint in (review_bp, publication_bp, exports_bp):
        app.register_blueprint(blueprint)

    from .desk.views import bp as desk_bp

    app.register_blueprint(desk_bp)
    app.register_blueprint(accreditation_bp)

    from .api.feed_views import bp as feeds_bp
    from .api.views import bp as api_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(feeds_bp)

    from .core import error_pages, fragments, headers, i18n, read_only_requests, template_helpers

    read_only_requests.init_app(app)  # PostgreSQL keeps the plans of a request that only read
    fragments.init_app(app)  # after CSRFProtect: kept pieces get a stand-in `csrf_token()`
    i18n.init_app(app)
    error_pages.init_app(app)
    headers.init_app(app)
    template_helpers.init_app(app)

    from .cli import register_commands

    register_commands(app)
    _connect_rules()
    _connect_events()
    return app


def _connect_rules() -> None:
    """The models' `can_<verb>` ask rules that live a layer above them (portal/models/rules.py)."""
    from .desk.reminders import can_remind
    from .models import rules
    from .signons import transitions as signature_transitions
    from .statements import workflow

    rules.connect("statement_permits", workflow.permits)
    rules.connect("signature_permits", signature_transitions.permits)
    rules.connect("can_remind", can_remind)


def _connect_events() -> None:
    """The events that cross features, each to its receiver (the table in portal/events.py).
    Blinker keeps one connection per receiver, so a second app connects nothing twice."""
    from . import events
    from .auth.operations import mark_email_confirmed
    from .exports.prepared import prepare, prepare_translations
    from .signons.operations import on_revision_created

    events.revision_created.connect(on_revision_created)
    events.statement_approved.connect(prepare)
    events.translation_saved.connect(prepare_translations)
    events.email_proven.connect(mark_email_confirmed)
