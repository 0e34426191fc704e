"""A sign-on the round's venue excludes is explained on every signing path, through the client
with CSRF on (issue 14, item 3): the account's sign page and its flash, the public form's
confirmation, the coordinator's import preview."""

import io
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from portal.rounds.requirements import set_requirements
from portal.venues.profiles import HRC

FOOTNOTE = "will be named in a footnote to the title"


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def hrc(cast):
    set_requirements(cast["coordinator"], cast["round"], HRC)
    db.session.commit()


def test_account_sign_on_is_explained_before_and_after(as_, cast, hrc, statement_in):
    statement = statement_in()
    client = as_("signatory")
    page = text(client.get(f"/statements/{statement.id}/sign"))
    assert f"Réseau Migrants &amp; Droits {FOOTNOTE}" in page
    data = {
        "organization": cast["signer_org"].id,
        "revision_id": statement.current_revision_id,
        "confirm": "y",
    }
    response = client.post(f"/statements/{statement.id}/sign", data=data, follow_redirects=True)
    assert FOOTNOTE in text(response)


def test_public_sign_on_is_explained_on_confirmation(as_, cast, hrc, statement_in):
    statement = statement_in()
    client = as_("anonymous")
    url = f"/s/{statement.public_token}"
    data = {
        "revision_id": statement.current_revision_id,
        "name": "Public Voice",
        "country": "DE",
        "kind": "ngo",
        "contact_name": "Jonas",
        "email": "jonas@voice.example.org",
        "publish": "y",
    }
    assert client.post(url, data=data).status_code == 200
    body = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.kind == "signon_confirm")
    ).one()
    link = re.search(r"http://localhost(/s/\S+/confirm/\S+)", body).group(1)
    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert f"Public Voice {FOOTNOTE}" in text(confirmed)


def test_import_preview_explains_each_excluded_row(as_, cast, hrc, statement_in):
    statement = statement_in()
    csv = "organization,country\nNew Group,KE\n"
    preview = as_("coordinator").post(
        f"/rounds/{cast['round'].slug}/signons/import",
        data={
            "step": "preview",
            "statement": statement.id,
            "file": (io.BytesIO(csv.encode()), "s.csv"),
        },
        content_type="multipart/form-data",
    )
    assert f"New Group {FOOTNOTE}" in text(preview)


def test_a_default_round_explains_nothing(as_, cast, statement_in):
    statement = statement_in()
    page = text(as_("signatory").get(f"/statements/{statement.id}/sign"))
    assert "data-venue-notice" not in page
