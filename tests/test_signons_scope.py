"""International and regional networks (no country) through every path — profile form, public
sign-on, CSV import and exports, counts, the PDF read back, the compendium index — and the
lead's signatory order."""

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from portal.exports.compendium import Compendium, Entry, _part
from portal.exports.official import statement_document
from portal.extensions import db
from portal.models import AuditEvent, Organization, OutboxMessage, Signature, SignatureState
from portal.organizations import operations as org_ops
from portal.pdf import render_statement_pdf
from portal.places import Scope
from portal.signatory_order import NETWORKS_HEADING, SignatoryOrder
from portal.signons import importing
from portal.signons.listing import listing
from portal.signons.queries import breakdown
from tests.pdf_helpers import signatory_entries

IMPORT = (
    "organization,country,kind,website,email\n"
    "Global Workers Federation,,trade_union,gwf.example.org,info@gwf.example.org\n"
    "Femmes Africa Réseau,Africa,,,\n"
    "Southern Voices,Global South,,,\n"
    "Attac France,France,,,\n"
    "Worldwide Aid,International,,,\n"
)


def _imported(cast, statement, text=IMPORT):
    written = importing.commit_import(cast["coordinator"], statement, text)
    db.session.commit()
    return written


def _by_name(name):
    return db.session.scalars(select(Organization).where(Organization.name == name)).one()


def test_csv_import_reads_empty_and_region_cells(cast, statement_in):
    statement = statement_in()
    assert _imported(cast, statement) == 5
    gwf = _by_name("Global Workers Federation")
    assert (gwf.scope, gwf.country, gwf.region) == (Scope.INTERNATIONAL, None, None)
    assert _by_name("Femmes Africa Réseau").place.label == "Africa"
    assert _by_name("Southern Voices").region == "Global South"
    assert _by_name("Attac France").place.label == "France"
    assert _by_name("Worldwide Aid").scope == Scope.INTERNATIONAL
    signature = db.session.scalars(
        select(Signature).where(Signature.organization_id == gwf.id)
    ).one()
    assert signature.scope == Scope.INTERNATIONAL and signature.place.label == "International"


def test_counts_by_country_or_region(cast, statement_in):
    statement = statement_in()
    _imported(cast, statement)
    counts = breakdown(listing(statement).listed_signatures)
    assert dict(counts.by_country) == {
        "International": 2,
        "Africa": 1,
        "Global South": 1,
        "France": 1,
    }
    assert dict(counts.by_region) == {
        "International": 2,
        "Africa": 1,
        "Global South": 1,
        "Europe": 1,
    }


def test_exports_name_the_place(as_, cast, statement_in):
    statement = statement_in()
    _imported(cast, statement)
    public = as_("anonymous").get(f"/s/{statement.public_token}/signatories.csv")
    # Name and place first; the accreditation columns come after them.
    rows = [row[:2] for row in csv.reader(io.StringIO(public.get_data(as_text=True)))]
    assert rows[0] == ["organization", "country"]
    assert ["Global Workers Federation", "International"] in rows
    assert ["Femmes Africa Réseau", "Africa"] in rows
    drafter = as_("drafter")
    full = list(
        csv.DictReader(
            io.StringIO(
                drafter.get(f"/statements/{statement.id}/signatures.csv").get_data(as_text=True)
            )
        )
    )
    gwf = next(r for r in full if r["organization"] == "Global Workers Federation")
    assert (gwf["scope"], gwf["country"], gwf["place"]) == ("international", "", "International")
    xlsx = drafter.get(f"/statements/{statement.id}/signatures.xlsx").get_data()
    sheet = load_workbook(io.BytesIO(xlsx)).active
    header = [c.value for c in sheet[1]]
    places = {row[0]: row[header.index("place")] for row in sheet.iter_rows(2, values_only=True)}
    assert places["Southern Voices"] == "Global South"


def test_the_public_csv_feeds_the_render_cli(as_, cast, statement_in, tmp_path):
    from portal.render_cli import read_signatories

    statement = statement_in()
    _imported(cast, statement)
    path = tmp_path / "s.csv"
    path.write_bytes(as_("anonymous").get(f"/s/{statement.public_token}/signatories.csv").data)
    places = {s.name: s.place for s in read_signatories(str(path))}
    assert places["Global Workers Federation"] == "International"
    assert places["Femmes Africa Réseau"] == "Africa"
    assert places["Attac France"] == "France"


def test_pdf_lists_networks_first_with_group_headings(cast, statement_in):
    statement = statement_in()
    _imported(cast, statement)
    statement.signatory_order = SignatoryOrder.NETWORKS_FIRST
    db.session.commit()
    pdf = render_statement_pdf(statement_document(statement))
    entries = [text for _page, text in signatory_entries(pdf)]
    assert entries == [
        NETWORKS_HEADING,
        "Global Workers Federation (International)",
        "Worldwide Aid (International)",
        "Femmes Africa Réseau (Africa)",
        "Southern Voices (Global South)",
        "France",
        "Attac France",
    ]


def test_pdf_alphabetical_has_no_headings(cast, statement_in):
    statement = statement_in()
    _imported(cast, statement)
    pdf = render_statement_pdf(statement_document(statement))
    entries = [text for _page, text in signatory_entries(pdf)]
    assert entries[0] == "Attac France (France)"
    assert "Global Workers Federation (International)" in entries
    assert NETWORKS_HEADING not in entries and len(entries) == 5


def test_compendium_index_names_networks(cast, statement_in):
    statement = statement_in()
    _imported(cast, statement)
    compendium = Compendium("P", "R", "", "", [Entry("s1", statement_document(statement))])
    index = compendium.index()
    assert ("Global Workers Federation", "International") in [(n, p) for n, p, _ in index]
    html = _part(compendium, "index", 1, {"statement-s1": 3}, index=index)
    # The region stands where a country would; then the statement's short title and its page.
    title = statement_document(statement).title
    assert re.search(r"Femmes Africa Réseau \(Africa\): [^<]*\b3</p>", html)
    assert title.split()[0] in html.split("Femmes Africa Réseau (Africa): ")[1]


def _public_link(client, statement, **changes):
    data = {
        "revision_id": statement.current_revision_id,
        "name": "Global Alliance Against Traffic",
        "country": "international",
        "kind": "network",
        "website": "",
        "contact_name": "Ana",
        "email": "ana@gaatw.example.org",
        "publish": "y",
        **changes,
    }
    response = client.post(f"/s/{statement.public_token}", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = db.session.scalars(
        select(OutboxMessage.body)
        .where(OutboxMessage.kind == "signon_confirm")
        .order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(r"http://localhost(/s/\S+/confirm/\S+)", body).group(1)


def test_public_signon_by_an_international_network(as_, cast, statement_in):
    statement = statement_in()
    client = as_("anonymous")
    form = client.get(f"/s/{statement.public_token}").get_data(as_text=True)
    assert 'value="international"' in form and 'value="Africa"' in form
    link = _public_link(client, statement)
    assert "(International)" in client.get(link).get_data(as_text=True)
    assert client.post(link).status_code == 200
    org = _by_name("Global Alliance Against Traffic")
    assert org.scope == Scope.INTERNATIONAL and org.country is None
    signature = db.session.scalars(select(Signature)).one()
    signature.state = SignatureState.APPROVED
    db.session.commit()
    page = client.get(f"/s/{statement.public_token}").get_data(as_text=True)
    assert "Global Alliance Against Traffic <small>(International)</small>" in page


def test_profile_form_sets_a_region_or_international(as_, cast):
    client = as_("drafter")
    lead = cast["lead"]
    url = f"/organizations/{lead.slug}/edit"
    page = client.get(url).get_data(as_text=True)
    assert '<option selected value="KE">' in page or 'value="KE" selected' in page
    data = {"name": lead.name, "country": "Latin America and the Caribbean", "kind": "network"}
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(lead)
    assert (lead.scope, lead.region, lead.country) == (Scope.REGIONAL, data["country"], None)
    assert client.post(url, data={**data, "country": "international"}).status_code == 302
    db.session.refresh(lead)
    assert lead.scope == Scope.INTERNATIONAL and lead.region is None
    profile = client.get(f"/organizations/{lead.slug}").get_data(as_text=True)
    assert "International" in profile
    bad = client.post(url, data={**data, "country": "Atlantis"})
    assert "Not a valid choice" in bad.get_data(as_text=True)
    db.session.refresh(lead)
    assert lead.scope == Scope.INTERNATIONAL


def test_register_a_regional_organization(cast):
    org = org_ops.register_organization(
        cast["outsider"], name="Asia Pacific Mission", country="Asia and the Pacific"
    )
    db.session.commit()
    assert org.scope == Scope.REGIONAL and org.place_label == "Asia and the Pacific"


def test_the_lead_chooses_the_order_and_it_is_audited(as_, cast, statement_in):
    statement = statement_in()
    _imported(cast, statement)
    url = f"/statements/{statement.id}/signatory-order"
    assert as_("signatory").post(url, data={"order": "by_region"}).status_code == 403
    client = as_("drafter")
    assert client.post(url, data={"order": "sideways"}).status_code == 400
    assert client.post(url, data={"order": "networks_first"}).status_code == 302
    assert statement.signatory_order == SignatoryOrder.NETWORKS_FIRST
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "statement.signatory_order")
    ).one()
    assert event.details["new"] == "networks_first"
    page = client.get(f"/statements/{statement.id}/signatures").get_data(as_text=True)
    assert page.index("Global Workers Federation") < page.index("Attac France")
    public = as_("anonymous").get(f"/s/{statement.public_token}/signatories.csv")
    names = [r[0] for r in csv.reader(io.StringIO(public.get_data(as_text=True)))][1:]
    assert names[0] == "Global Workers Federation" and names[-1] == "Attac France"
    full = client.get(f"/statements/{statement.id}/signatures.csv").get_data(as_text=True)
    full_names = [r["organization"] for r in csv.DictReader(io.StringIO(full))]
    assert full_names == names


def test_the_directory_filters_by_country_region_or_international(as_, make_org):
    make_org(name="World Network", country=None, scope=Scope.INTERNATIONAL)
    make_org(name="Pacific Network", country=None, scope=Scope.REGIONAL, region="Pacific")
    make_org(name="Nairobi Aid", country="KE")
    client = as_("anonymous")

    def names(value):
        page = client.get(f"/organizations/?country={value}").get_data(as_text=True)
        return {n for n in ("World Network", "Pacific Network", "Nairobi Aid") if n in page}

    assert names("international") == {"World Network"}
    assert names("Pacific") == {"Pacific Network"}
    assert names("KE") == {"Nairobi Aid"}
    assert names("") == {"World Network", "Pacific Network", "Nairobi Aid"}
