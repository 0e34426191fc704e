from flask import Blueprint

bp = Blueprint("organizations", __name__, url_prefix="/organizations")


@bp.get("/")
def index():
    return "orgs"


@bp.get("/verification")
def verification_queue():
    return "queue"
