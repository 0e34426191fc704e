from sqlalchemy.exc import OperationalError


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_database_is_down(client, monkeypatch):
    from portal.extensions import db

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_unknown_page_is_404_in_site_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)
    assert 'class="site-header"' in response.get_data(as_text=True)


def test_home_lists_open_rounds_with_deadlines(client, make_round):
    open_round = make_round("open", title="Second round of negotiations")
    make_round("closed", title="First round of negotiations")
    page = client.get("/").get_data(as_text=True)
    assert open_round.title in page
    assert "First round of negotiations" not in page
    assert "America/New_York" in page
