"""Sign-on pages over HTTP: signing, the public form and its link, the queue, exports, import,
the access matrix, and the queue's constant number of SQL queries."""

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    OutboxMessage,
    Signature,
    SignatureState,
    StatementState,
    utcnow,
)
from portal.signons import duplicates, operations
from portal.signons.queries import region_of
from tests.helpers.rows import count_rows
from tests.query_count import count_queries
from tests.signons_support import bulk_signatures


def test_sign_page_shows_the_revision_and_signs(as_, cast, statement_in):
    statement = statement_in()
    client = as_("signatory")
    page = client.get(f"/statements/{statement.id}/sign").get_data(as_text=True)
    assert f"revision {statement.current_revision.number}" in page and "Our asks" in page
    data = {
        "organization": cast["signer_org"].id,
        "revision_id": statement.current_revision_id,
        "confirm": "y",
    }
    response = client.post(f"/statements/{statement.id}/sign", data=data)
    assert response.status_code == 302
    again = client.post(f"/statements/{statement.id}/sign", data=data)
    assert again.status_code == 409 and "already signed" in again.get_data(as_text=True)
    assert count_rows(Signature) == 1
    show = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "1</strong> pending" in show and "Withdraw signature" in show


def test_sign_without_confirming_or_csrf_writes_nothing(as_, cast, statement_in):
    statement = statement_in()
    client = as_("signatory")
    data = {"organization": cast["signer_org"].id, "revision_id": statement.current_revision_id}
    response = client.post(f"/statements/{statement.id}/sign", data=data)
    assert response.status_code == 400 and "Tick the box" in response.get_data(as_text=True)
    response = client.post(
        f"/statements/{statement.id}/sign", data={**data, "confirm": "y"}, csrf=False
    )
    assert response.status_code == 400
    assert count_rows(Signature) == 0


def test_withdraw_and_reconfirm_routes(as_, cast, statement_in):
    statement = statement_in()
    signature = operations.sign(
        cast["signatory"], statement, cast["signer_org"], statement.current_revision_id
    )
    db.session.commit()
    assert as_("member").post(f"/signatures/{signature.id}/withdraw").status_code == 403
    assert as_("outsider").post(f"/signatures/{signature.id}/withdraw").status_code == 404
    client = as_("signatory")
    response = client.post(f"/signatures/{signature.id}/reconfirm", follow_redirects=True)
    assert "already backs the current text" in response.get_data(as_text=True)
    assert client.post(f"/signatures/{signature.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(Signature, signature.id).state == SignatureState.WITHDRAWN


def test_public_form_confirmation_link_and_reuse(as_, cast, statement_in):
    statement = statement_in()
    client = as_("anonymous")
    url = f"/s/{statement.public_token}"
    assert "Sign on for your organization" in client.get(url).get_data(as_text=True)
    data = {
        "revision_id": statement.current_revision_id,
        "name": "Ünited Migrants' Voice",
        "country": "DE",
        "kind": "migrant_led",
        "website": "umv.example.org",
        "contact_name": "Jonas",
        "email": "jonas@umv.example.org",
        "publish": "y",
    }
    bad = client.post(url, data={**data, "country": "ZZ"})
    assert bad.status_code == 400 and "Choose a country" in bad.get_data(as_text=True)
    response = client.post(url, data=data)
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    body = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.kind == "signon_confirm")
    ).one()
    link = re.search(r"http://localhost(/s/\S+/confirm/\S+)", body).group(1)
    assert count_rows(Signature) == 0
    assert "Confirm the sign-on" in client.get(link).get_data(as_text=True)
    assert count_rows(Signature) == 0  # GET changes nothing
    confirmed = client.post(link)
    assert confirmed.status_code == 200 and "Thank you" in confirmed.get_data(as_text=True)
    assert count_rows(Signature) == 1
    reused = client.post(link)
    assert reused.status_code == 400 and "already used" in reused.get_data(as_text=True)
    assert client.get(f"{url}/confirm/forged").status_code == 410
    assert count_rows(Signature) == 1


def test_draft_has_no_public_page(as_, statement_in):
    statement = statement_in(StatementState.DRAFT)
    client = as_("anonymous")
    assert client.get(f"/s/{statement.public_token}").status_code == 404
    assert client.get(f"/s/{statement.public_token}/signatories.csv").status_code == 404


def test_public_form_after_the_deadline_says_so(as_, statement_in):

    statement = statement_in()
    statement.signon_deadline = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = as_("anonymous").get(f"/s/{statement.public_token}").get_data(as_text=True)
    assert "sign-on deadline passed" in page and "Sign on for your organization" not in page


def _signed(cast, statement, approve=True):
    signature = operations.sign(
        cast["signatory"], statement, cast["signer_org"], statement.current_revision_id
    )
    if approve:
        signature.state = SignatureState.APPROVED
    db.session.commit()
    return signature


def test_exports_full_for_drafters_public_for_everyone(as_, cast, statement_in):
    statement = statement_in()
    _signed(cast, statement)
    drafter = as_("drafter")
    rows = list(
        csv.DictReader(
            io.StringIO(
                drafter.get(f"/statements/{statement.id}/signatures.csv").get_data(as_text=True)
            )
        )
    )
    assert rows[0]["organization"] == "Réseau Migrants & Droits"
    assert rows[0]["contact_email"] == cast["signatory"].email and rows[0]["region"] == "Africa"
    xlsx = drafter.get(f"/statements/{statement.id}/signatures.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["A2"].value == "Réseau Migrants & Droits"
    assert as_("signatory").get(f"/statements/{statement.id}/signatures.csv").status_code == 403
    public = (
        as_("anonymous").get(f"/s/{statement.public_token}/signatories.csv").get_data(as_text=True)
    )
    # The accreditation columns come at the end, empty for an organization without any.
    assert public.splitlines() == [
        "organization,country,un_name,ecosoc_status,constituency,accreditations",
        "Réseau Migrants & Droits,Senegal,,,,",
    ]
    page = as_("outsider").get(f"/statements/{statement.id}/signatures").get_data(as_text=True)
    assert "Africa" in page and "Senegal" in page


def test_queue_filters_bulk_approve_and_reject(as_, cast, statement_in):
    statement = statement_in()
    first = _signed(cast, statement, approve=False)
    second = operations.sign(
        cast["other_signatory"], statement, cast["other_org"], statement.current_revision_id
    )
    db.session.commit()
    client = as_("coordinator")
    url = f"/rounds/{cast['round'].slug}/signons"
    page = client.get(url).get_data(as_text=True)
    assert "Réseau Migrants" in page and "Other Union" in page
    filtered = client.get(url, query_string={"country": "PH"}).get_data(as_text=True)
    assert "Other Union" in filtered and "Réseau Migrants" not in filtered
    response = client.post(f"{url}/approve", data={"signature": [str(first.id)]})
    assert response.status_code == 302
    bad = client.post(f"{url}/{second.id}/reject", data={"reason": ""}, follow_redirects=True)
    assert "reason" in bad.get_data(as_text=True)
    client.post(f"{url}/{second.id}/reject", data={"reason": "Not a civil-society group."})
    db.session.expire_all()
    assert db.session.get(Signature, first.id).state == SignatureState.APPROVED
    assert db.session.get(Signature, second.id).state == SignatureState.REJECTED
    assert count_rows(OutboxMessage, OutboxMessage.kind == "signature_rejected") == 1


def test_near_duplicates_flagged_then_merged_or_kept_apart(as_, cast, statement_in, make_org):
    statement = statement_in()
    _signed(cast, statement, approve=False)
    twin = make_org(name="RESEAU migrants, & droits!", country="SN", slug="twin")
    unrelated = make_org(
        name="Another", country="SN", slug="another", website="https://rmd.example"
    )
    signatures = [
        operations.new_signature(statement, org, statement.current_revision)
        for org in (twin, unrelated)
    ]
    for s in signatures:
        db.session.add(s)
    db.session.commit()
    assert duplicates.fold_name("RESEAU migrants, & droits!") == "reseau migrants and droits"
    assert duplicates.website_domain("https://WWW.rmd.example/about") == "rmd.example"
    found = duplicates.duplicate_ids([statement.id], [signatures[0].id, signatures[1].id])
    assert len(found[signatures[0].id]) == 1 and signatures[1].id not in found
    client = as_("coordinator")
    url = f"/rounds/{cast['round'].slug}/signons"
    assert "Looks like sign-on" in client.get(url).get_data(as_text=True)
    client.post(f"{url}/{signatures[0].id}/keep-apart")
    assert duplicates.duplicate_ids([statement.id], [signatures[0].id]) == {}
    assert "Looks like sign-on" not in client.get(url).get_data(as_text=True)
    original = found[signatures[0].id][0]
    client.post(f"{url}/{signatures[0].id}/merge", data={"into": original})
    db.session.expire_all()
    merged = db.session.get(Signature, signatures[0].id)
    assert merged.state == SignatureState.REJECTED and merged.merged_into_id == original


def test_import_previews_then_writes(as_, cast, statement_in):
    statement = statement_in()
    _signed(cast, statement)
    text = (
        "organization,country,kind,website,email\n"
        "Caritas Example,Italy,faith-based,caritas.example.it,info@caritas.example.it\n"
        ",FR,,,\n"
        "Unknown Land Group,Atlantis,,,\n"
        "Réseau migrants & droits,SN,,,\n"
        "Caritas example,IT,,,\n"
    )
    client = as_("coordinator")
    url = f"/rounds/{cast['round'].slug}/signons/import"
    preview = client.post(
        url,
        data={
            "step": "preview",
            "statement": statement.id,
            "file": (io.BytesIO(text.encode()), "s.csv"),
        },
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    for message in (
        "name is empty",
        "Unknown country or region: Atlantis",
        "Already signed",
        "Repeats line 2",
    ):
        assert message in preview
    assert "1 to import" in preview
    assert count_rows(Signature) == 1
    response = client.post(
        url, data={"step": "confirm", "statement": statement.id, "payload": text}
    )
    assert response.status_code == 302
    imported = db.session.scalars(select(Signature).where(Signature.source == "import")).one()
    assert imported.state == SignatureState.APPROVED and imported.organization.country == "IT"
    assert count_rows(AuditEvent, AuditEvent.action == "signature.import") == 1


ROUTES = [
    ("get", "/statements/{sid}/sign"),
    ("get", "/statements/{sid}/signatures"),
    ("get", "/statements/{sid}/signatures.csv"),
    ("get", "/statements/{sid}/open-signing"),
    ("get", "/rounds/{slug}/signons"),
    ("get", "/rounds/{slug}/signons/import"),
    ("post", "/rounds/{slug}/signons/approve"),
]
# role → expected status per route above, for a statement in signing.
MATRIX = {
    "anonymous": [302, 302, 302, 302, 302, 302, 302],
    "outsider": [403, 200, 403, 403, 403, 403, 403],
    "member": [403, 200, 403, 403, 403, 403, 403],
    "signatory": [200, 200, 403, 403, 403, 403, 403],
    "drafter": [200, 200, 200, 200, 403, 403, 403],
    "coordinator": [403, 200, 200, 403, 200, 200, 302],
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_access_matrix(as_, cast, statement_in, role):
    statement = statement_in()
    client = as_(role)
    for (method, route), expected in zip(ROUTES, MATRIX[role], strict=True):
        url = route.format(sid=statement.id, slug=cast["round"].slug)
        response = getattr(client, method)(url)
        assert response.status_code == expected, (role, url, response.status_code)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "signatory", "member"])
def test_another_organizations_draft_is_404(as_, statement_in, role):
    statement = statement_in(StatementState.DRAFT)
    client = as_(role)
    for url in (f"/statements/{statement.id}/sign", f"/statements/{statement.id}/signatures"):
        expected = 302 if role == "anonymous" else 404
        assert client.get(url).status_code == expected


def test_regions_cover_every_country():
    import pycountry

    missing = [c.alpha_2 for c in pycountry.countries if region_of(c.alpha_2) == "Other"]
    assert missing == ["AQ"]
    assert region_of("br") == "Americas" and region_of("FJ") == "Oceania"


def test_queue_runs_the_same_queries_for_20_or_5000(as_, cast, statement_in):
    statement = statement_in()
    client = as_("coordinator")
    url = f"/rounds/{cast['round'].slug}/signons"
    bulk_signatures(statement, 20)
    small = count_queries(client, url)
    bulk_signatures(statement, 4980, start=20)
    large = count_queries(client, url)
    assert small == large
    assert "5000 sign-ons" in client.get(url).get_data(as_text=True)


def test_lead_opens_for_signatures_with_an_earlier_deadline(as_, cast, statement_in):
    statement = statement_in(StatementState.DRAFT)
    url = f"/statements/{statement.id}/open-signing"
    assert as_("signatory").get(url).status_code == 404  # another organization's draft
    client = as_("drafter")
    tz = cast["round"].tz
    too_late = (cast["round"].signon_deadline + timedelta(days=1)).astimezone(tz)
    response = client.post(url, data={"deadline": too_late.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 400 and 'class="error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(statement), statement.id).state == StatementState.DRAFT
    earlier = (utcnow() + timedelta(days=2)).astimezone(tz).replace(second=0, microsecond=0)
    response = client.post(url, data={"deadline": earlier.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    db.session.expire_all()
    opened = db.session.get(type(statement), statement.id)
    assert opened.state == StatementState.SIGNING
    assert opened.effective_signon_deadline == earlier
    assert as_("anonymous").get(f"/s/{opened.public_token}").status_code == 200
