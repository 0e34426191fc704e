"""No redirect leaves the site: every route, sent a hostile `next` in its form and its query
string, answers with a Location on this site. Routes come from the URL map, so a new view that
reads `next` is covered without being listed."""

from urllib.parse import urlsplit

import pytest
from flask import current_app

from tests.helpers.clients import PASSWORD
from tests.helpers.routes import expand, routes

HOSTILE = (
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "http:evil.example",
)


def _stays_here(location: str) -> bool:
    parts = urlsplit(location)
    if parts.scheme not in ("", "http", "https") or "\\" in location:
        return False
    return parts.netloc in ("", "localhost")


@pytest.mark.parametrize(("endpoint", "method"), routes())
def test_no_route_redirects_off_site(endpoint, method, world, client_as):
    rule = next(r for r in current_app.url_map.iter_rules() if r.endpoint == endpoint)
    for role in ("org_admin", "coordinator"):
        for _label, url in expand(rule, world):
            for target in HOSTILE:
                client = client_as(role)
                query = {"next": target}
                if method == "POST":
                    response = client.post(url, query_string=query, data={"next": target})
                else:
                    response = client.get(url, query_string=query)
                location = response.headers.get("Location", "")
                assert _stays_here(location), f"{method} {url} as {role} → {location}"


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_ignores_a_hostile_next(target, client, people):
    page = client.get("/login", query_string={"next": target})
    assert target not in page.get_data(as_text=True)
    response = client.post(
        "/login", data={"email": people["member"].email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_path_on_this_site(client, people):
    data = {"email": people["member"].email, "password": PASSWORD, "next": "/statements/mine"}
    response = client.post("/login", data=data)
    assert response.headers["Location"] == "/statements/mine"


@pytest.mark.parametrize("target", HOSTILE)
def test_queue_actions_go_back_to_the_queue(target, world, client_as):
    client = client_as("coordinator")
    response = client.post(
        f"/rounds/{world['round']}/signons/{world['signature']}/approve", data={"next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{world['round']}/signons"


def test_queue_actions_keep_the_filtered_page(world, client_as):
    here = f"/rounds/{world['round']}/signons?state=pending&page=1"
    response = client_as("coordinator").post(
        f"/rounds/{world['round']}/signons/approve", data={"next": here}
    )
    assert response.headers["Location"] == here
