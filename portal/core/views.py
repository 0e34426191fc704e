"""Home page and health check."""

from flask import Blueprint, jsonify, render_template
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import Round, utcnow
from . import background

bp = Blueprint("core", __name__)


@bp.after_app_request
def _run_deferred(response):
    # Work a change asked for after its commit (see background.later): the view has committed.
    background.run_deferred()
    return response


@bp.get("/")
def home():
    now = utcnow()
    rounds = db.session.scalars(
        select(Round).where(Round.submission_deadline > now).order_by(Round.opens_at)
    ).all()
    open_rounds = [r for r in rounds if r.accepts_submissions(now)]
    upcoming = [r for r in rounds if not r.accepts_submissions(now)]
    return render_template("core/home.html", open_rounds=open_rounds, upcoming=upcoming)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
