"""Input checked once per field, everywhere (issue 9, findings 3 and 9): no ``javascript:``
website through any path, no stored non-http address rendered as a link, no CSV cell that runs
as a formula, and a clear answer (not a 500) to a CSV field over the csv module's limit."""

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import Organization, Signature, SignatureState, VerificationStatus
from portal.organizations import operations as org_ops
from portal.review import operations as review_ops
from portal.signons import importing
from tests.helpers.clients import signed_in
from tests.helpers.rows import count_rows
from tests.signons_support import ask_publicly

XSS = "javascript://example.com/%0aalert(document.cookie)"


def _import_url(cast):
    return f"/rounds/{cast['round'].slug}/signons/import"


def test_csv_import_refuses_a_javascript_website(app, cast, statement_in):
    statement = statement_in()
    text = f"organization,country,website\nEvil Org,FR,{XSS}\nGood Org,FR,good.example.org\n"
    preview = importing.preview(statement, text)
    assert preview.rows[0].errors == ["Enter a web address starting with http:// or https://."]
    assert preview.rows[1].ok
    client = signed_in(app, cast["coordinator"])
    response = client.post(
        _import_url(cast), data={"step": "confirm", "statement": statement.id, "payload": text}
    )
    assert response.status_code == 302
    assert count_rows(Organization, Organization.name == "Evil Org") == 0
    assert count_rows(Organization, Organization.website.like("javascript%")) == 0


def test_public_form_and_profile_refuse_it_too(app, cast, statement_in):
    statement = statement_in()
    with pytest.raises(OperationError, match="http:// or https://"):
        ask_publicly(statement, "Evil Org", "FR", website=XSS, email="x@example.net")
    with pytest.raises(OperationError, match="http:// or https://"):
        org_ops.register_organization(cast["outsider"], name="Evil Org", country="FR", website=XSS)
    client = signed_in(app, cast["drafter"])
    lead = cast["lead"]
    response = client.post(
        f"/organizations/{lead.slug}/edit",
        data={"name": lead.name, "country": "KE", "kind": "ngo", "website": XSS},
    )
    assert "http:// or https://" in response.get_data(as_text=True)
    db.session.refresh(lead)
    assert lead.website is None


def test_a_stored_javascript_address_is_shown_as_text_never_as_a_link(app, cast, make_org):
    # Stored before the check existed (or written around it): every page shows it inert.
    org = make_org(name="Old Import", status=VerificationStatus.PENDING, website=XSS)
    client = signed_in(app, cast["coordinator"])
    for url in (f"/organizations/{org.slug}", "/organizations/verification"):
        page = client.get(url).get_data(as_text=True)
        assert "Old Import" in page
        assert 'href="javascript' not in page.lower()
        assert '<span class="unlinked-url">javascript://' in page


def test_round_zip_csv_neutralizes_formulas(app, cast, statement_in):
    statement = statement_in()
    text = (
        "organization,country\n"
        '"=HYPERLINK(""http://evil.example"",""click"")",FR\n'
        "@SUM(1+1) Collective,KE\n"
    )
    importing.commit_import(cast["coordinator"], statement, text)
    review_ops.submit(cast["drafter"], statement)
    review_ops.decide(cast["coordinator"], statement, "approve")
    db.session.commit()
    assert count_rows(Signature, Signature.state == SignatureState.APPROVED) == 2
    response = signed_in(app).get(f"/rounds/{cast['round'].slug}/statements.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    rows = list(csv.DictReader(io.StringIO(archive.read("signatories.csv").decode())))
    assert sorted(r["organization"] for r in rows) == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'@SUM(1+1) Collective",
    ]
    public_csv = signed_in(app).get(f"/s/{statement.public_token}/signatories.csv")
    names = [r[0] for r in csv.reader(io.StringIO(public_csv.get_data(as_text=True)))]
    assert all(name[0] not in "=+-@" for name in names)


def test_an_over_long_csv_field_is_a_clear_error_with_its_line(app, cast, statement_in):
    statement = statement_in()
    text = "organization,country\nFine Org,FR\n" + '"' + "x" * 140_000 + '",FR\n'
    client = signed_in(app, cast["coordinator"])
    response = client.post(
        _import_url(cast),
        data={
            "step": "preview",
            "statement": statement.id,
            "file": (io.BytesIO(text.encode()), "s.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Line 3: a field is longer than" in response.get_data(as_text=True)
    with pytest.raises(OperationError, match="Line 3"):
        importing.commit_import(cast["coordinator"], statement, text)


def test_render_cli_reports_an_over_long_field(tmp_path):
    from click.testing import CliRunner

    from portal.render_cli import render_command

    source = tmp_path / "s.md"
    source.write_text("---\ntitle: T\n---\n\nText.\n", encoding="utf-8")
    signatories = tmp_path / "s.csv"
    signatories.write_text('A,FR\n"' + "x" * 140_000 + '",FR\n', encoding="utf-8")
    result = CliRunner().invoke(
        render_command,
        [str(source), "-o", str(tmp_path / "o.pdf"), "--signatories", str(signatories)],
    )
    assert result.exit_code == 2 and "s.csv:2: a field is longer than" in result.output


def test_registration_refuses_it_and_takes_a_region(client):
    from tests.helpers.forms import registration

    response = client.post("/register", data=registration(org_website=XSS))
    assert "http:// or https://" in response.get_data(as_text=True)
    assert count_rows(Organization) == 0
    response = client.post("/register", data=registration(org_country="West Africa"))
    assert response.status_code == 302
    org = db.session.scalars(select(Organization)).one()
    assert org.region == "West Africa" and org.country is None
