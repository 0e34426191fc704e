from flask import Blueprint

bp = Blueprint("rounds", __name__)


@bp.get("/processes")
def index():
    return "rounds"


@bp.get("/rounds/<slug>")
def round_detail(slug):
    return slug
