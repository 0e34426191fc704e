"""The read API: only what is published, as documented in portal/api/openapi.json."""

import pytest
from jsonschema import Draft202012Validator

from portal import create_app
from portal.extensions import db
from portal.models import StatementState
from tests.openapi_check import DOCUMENT, check
from tests.query_count import count_queries


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    check(response)
    return response


# -- what is listed ------------------------------------------------------------------------------


def test_rounds_are_listed_with_their_published_count(client, crew, make_statement, make_approved):
    make_approved()
    make_statement(StatementState.SIGNING)
    body = get(client, "/api/v1/rounds").get_json()
    (round_,) = body["items"]
    assert round_["slug"] == crew["round"].slug and round_["published_statements"] == 1
    assert round_["links"]["feed"].endswith(f"/rounds/{crew['round'].slug}/feed.atom")
    one = get(client, f"/api/v1/rounds/{crew['round'].slug}").get_json()
    assert one == round_
    assert get(client, "/api/v1/rounds/nowhere").status_code == 404


@pytest.mark.parametrize("state", [s for s in StatementState if s != StatementState.APPROVED])
def test_unpublished_statements_never_show(client, make_statement, state, make_approved):
    hidden = make_statement(state, title="Not yet public")
    shown = make_approved(title="Published one")
    response = get(client, "/api/v1/statements")
    assert [s["id"] for s in response.get_json()["items"]] == [shown.id]
    assert "Not yet public" not in response.get_data(as_text=True)
    missing = get(client, f"/api/v1/statements/{hidden.id}")
    assert missing.status_code == 404
    # The same answer as for an id that never existed: nothing tells them apart.
    assert missing.get_json() == get(client, "/api/v1/statements/999999").get_json()


def test_statement_has_its_text_and_published_signatories(client, sign, make_approved):
    statement = make_approved(
        title="Firewalls for services",
        signers=[("Zeta Network", "MX"), ("Alpha Aid", "KE")],
    )
    # Signed after approval: the published list was frozen and does not change.
    sign(statement, "Late Signer", "FR")
    body = get(client, f"/api/v1/statements/{statement.id}").get_json()
    assert body["title"] == "Firewalls for services" and body["language"] == "en"
    assert body["text"]["source"] == statement.current_revision.body
    assert "<h2>Our asks</h2>" in body["text"]["html"] and "<script" not in body["text"]["html"]
    assert body["text"]["sha256"] == statement.current_revision.text_hash
    nothing_verified = dict.fromkeys(("un_name", "ecosoc_status", "constituency", "accreditations"))
    assert [s.pop("accreditation") for s in body["signatories"]] == [nothing_verified] * 2
    assert body["signatories"] == [
        {
            "position": 1,
            "name": "Alpha Aid",
            "scope": "national",
            "country": "KE",
            "region": None,
            "place": "Kenya",
        },
        {
            "position": 2,
            "name": "Zeta Network",
            "scope": "national",
            "country": "MX",
            "region": None,
            "place": "Mexico",
        },
    ]
    assert body["signatory_count"] == 2 and body["lead_organization"]["name"] == "Lead Coalition"
    links = body["links"]
    assert links["pdf"].endswith(f"/published/{statement.id}.pdf")
    assert links["docx"].endswith(f"/published/{statement.id}.docx")
    assert client.get(links["html"]).status_code == 200


def test_statements_filter_by_round_and_page(client, crew, make_round, make_approved):
    other = make_round()
    ids = [make_approved(title=f"S{n}").id for n in range(5)]
    make_approved(title="Elsewhere", round_=other)
    slug = crew["round"].slug
    first = get(client, f"/api/v1/statements?round={slug}&limit=2")
    body = first.get_json()
    assert body["total"] == 5 and [s["id"] for s in body["items"]] == ids[:2]
    assert "prev" not in body["links"] and 'rel="next"' in first.headers["Link"]
    seen = []
    url = body["links"]["self"]
    while url:
        page = get(client, url).get_json()
        seen += [s["id"] for s in page["items"]]
        assert all(s["round"] == slug for s in page["items"])
        url = page["links"].get("next")
    assert seen == ids
    last = get(client, f"/api/v1/statements?round={slug}&limit=2&offset=4").get_json()
    assert last["links"]["prev"].endswith("limit=2&offset=2") and "next" not in last["links"]
    assert get(client, "/api/v1/statements").get_json()["total"] == 6


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=%EF%BC%91", "limit"),  # a full-width digit is not a number here
        ("offset=-1", "offset"),
        ("round=no-such-round", "round"),
        ("rnd=x", "rnd"),
        ("limit=1&limit=2", "limit"),
    ],
)
def test_bad_parameters_are_refused_in_json(client, crew, query, parameter):
    response = get(client, f"/api/v1/statements?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == parameter
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_other_addresses_and_methods_answer_in_json(client):
    missing = client.get("/api/v1/nothing/here")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    posted = client.post("/api/v1/statements", csrf=False)
    assert posted.status_code == 405 and posted.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in posted.headers["Allow"]


# -- HTTP manners ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/rounds", "/api/v1/statements", "/statement", "/feed"])
def test_etag_and_if_none_match(client, crew, path, make_approved):
    statement = make_approved()
    url = {
        "/statement": f"/api/v1/statements/{statement.id}",
        "/feed": f"/rounds/{crew['round'].slug}/feed.atom",
    }.get(path, path)
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    assert first.cache_control.public and first.cache_control.max_age == 60
    head = client.head(url)
    assert head.status_code == 200 and not head.data and head.headers["ETag"] == etag
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert again.headers["ETag"] == etag and again.headers["Access-Control-Allow-Origin"] == "*"
    if path != "/feed":
        check(again)
    # Something new is published: the tag moves (for the lists and the feed).
    make_approved(title="Another")
    if path != "/statement":
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_cors_is_open_for_reading_and_never_for_credentials(client, make_approved):
    statement = make_approved()
    url = f"/api/v1/statements/{statement.id}"
    response = client.get(url, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Set-Cookie" not in response.headers
    preflight = client.options(
        url,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


@pytest.mark.commits  # another app, on its own connection, reads the rows
def test_the_api_is_rate_limited(app):
    limited = create_app(
        {
            **{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING")},
            "RATELIMIT_ENABLED": True,
            "API_RATE_LIMIT": "3 per minute",
        }
    )
    client = limited.test_client()
    responses = [client.get("/api/v1/rounds") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    refused = responses[-1]
    check(refused)
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in refused.headers
    with limited.app_context():
        db.engine.dispose()


# -- the document and the cost --------------------------------------------------------------------


def test_openapi_document_is_served_and_every_schema_is_valid(client, app):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.get_json() == DOCUMENT
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert DOCUMENT["openapi"].startswith("3.1")
    for schema in DOCUMENT["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    # Every documented path is served, and every API route is documented.
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<int:statement_id>", "{id}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    routes = {r.replace("<slug>", "{slug}") for r in routes}
    assert routes == set(DOCUMENT["paths"])
    index = client.get("/api/v1/")
    check(index)
    assert client.get(index.get_json()["openapi"]).status_code == 200


def test_queries_per_page_do_not_grow_with_the_data(client, crew, make_round, make_approved):
    def costs():
        statement = make_approved(signers=[(f"Org {n} {len(seen)}", "KE") for n in range(3)])
        seen.append(statement)
        make_round()
        return (
            count_queries(client, "/api/v1/rounds", fresh=True),
            count_queries(client, f"/api/v1/statements?round={crew['round'].slug}", fresh=True),
            count_queries(client, f"/api/v1/statements/{statement.id}", fresh=True),
            count_queries(client, f"/rounds/{crew['round'].slug}/feed.atom", fresh=True),
        )

    seen = []
    small = costs()
    for _ in range(3):
        costs()
    assert costs() == small
