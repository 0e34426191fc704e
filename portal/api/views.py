"""/api/v1: rounds and published statements as JSON. See openapi.json and docs/api.md."""

import json
from importlib.resources import files

from flask import Blueprint, request
from werkzeug.exceptions import MethodNotAllowed, NotFound

from ..core.fragments import remember
from ..core.versions import data_version
from ..extensions import db
from . import documents, queries
from .http import (
    CORS_HEADERS,
    PREFLIGHT_HEADERS,
    BadParameter,
    conditional,
    error,
    integer,
    json_response,
    parameters,
    protect,
)

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
protect(bp)

MAX_LIMIT = 100
PAGING = {"limit", "offset"}


def _paging(params: dict) -> tuple[int, int]:
    return (
        integer(params, "limit", default=50, low=1, high=MAX_LIMIT),
        integer(params, "offset", default=0, low=0, high=10**9),
    )


@bp.get("/")
def index():
    parameters(set())
    return json_response(documents.index_page())


@bp.get("/openapi.json")
def openapi():
    return conditional(files(__package__).joinpath("openapi.json").read_bytes(), "application/json")


@bp.get("/rounds")
def rounds():
    limit, offset = _paging(parameters(PAGING))
    page, links = documents.rounds_page(limit, offset)
    return json_response(page, links)


@bp.get("/rounds/<slug>")
def round_(slug):
    parameters(set())
    found = queries.round_by_slug(slug)
    if found is None:
        raise NotFound()
    published = queries.rounds_published_count(found)
    return json_response(documents.round_document(found, published))


@bp.get("/statements")
def statements():
    params = parameters(PAGING | {"round"})
    limit, offset = _paging(params)
    round_ = None
    if "round" in params:
        round_ = queries.round_by_slug(params["round"])
        if round_ is None:
            raise BadParameter("round", f"There is no round '{params['round']}'.")
    # Kept by the version of the data it lists (statements, approvals, corrections, leads).
    kept = remember(
        "api-statements",
        lambda: (round_.id if round_ else None, limit, offset, *data_version()),
        lambda: json.dumps(documents.statements_page(round_, limit, offset)),
    )
    page, links = json.loads(kept)
    return json_response(page, links)


@bp.get("/statements/<int:statement_id>")
def statement(statement_id):
    parameters(set())
    # Drafts, statements in signing or review and unknown ids all answer the same 404.
    found = queries.publication(statement_id)
    if found is None:
        raise NotFound()
    return json_response(documents.statement_document(found))


@bp.before_app_request
def unrouted():
    """Any other address or method under /api/v1 answers in JSON too, not with a site page
    (routing failed, so no handler of this blueprint would be asked)."""
    failure = request.routing_exception
    if request.path.startswith(PREFIX + "/") and failure is not None:
        if isinstance(failure, MethodNotAllowed):
            return method_not_allowed(failure)
        if isinstance(failure, NotFound):
            return not_found(failure)
    return None


# -- errors and headers -------------------------------------------------------------------------


@bp.errorhandler(BadParameter)
def bad_parameter(exc):
    return error(400, "bad_parameter", exc.message, exc.parameter)


@bp.errorhandler(404)
def not_found(exc):
    return error(404, "not_found", "There is no published resource at this address.")


@bp.errorhandler(405)
def method_not_allowed(exc):
    response = error(405, "method_not_allowed", "The API is read-only: use GET.")
    response.headers["Allow"] = "GET, HEAD, OPTIONS"
    return response


@bp.errorhandler(429)
def too_many(exc):
    return error(429, "rate_limited", f"Too many requests ({exc.description}); try again later.")


@bp.errorhandler(500)
def server_error(exc):
    db.session.rollback()
    return error(500, "server_error", "Something went wrong; it has been logged.")


@bp.after_request
def cors(response):
    response.headers.update(CORS_HEADERS)
    if request.method == "OPTIONS":
        response.headers.update(PREFLIGHT_HEADERS)
    return response
