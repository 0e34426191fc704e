"""The public round page links to the compendium only once it has been compiled."""

from portal.exports.compendium import compile_round
from portal.extensions import db
from portal.models import StatementState


def test_round_page_links_to_the_compendium_only_once_compiled(client, crew, make_statement):
    make_statement(StatementState.APPROVED, title="Regular pathways for all")
    slug = crew["round"].slug
    page = client.get(f"/rounds/{slug}").get_data(as_text=True)
    assert "Regular pathways for all" in page
    assert f"/rounds/{slug}/compendium.pdf" not in page
    assert client.get(f"/rounds/{slug}/compendium.pdf").status_code == 404

    compile_round(crew["round"])
    db.session.commit()
    page = client.get(f"/rounds/{slug}").get_data(as_text=True)
    assert f"/rounds/{slug}/compendium.pdf" in page
    response = client.get(f"/rounds/{slug}/compendium.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_organization_profile_lists_published_statements_led_and_signed(
    client, crew, make_statement, sign
):
    from portal.statements import workflow

    statement = make_statement(StatementState.SUBMITTED, title="Firewalls for services")
    signature = sign(statement, "Red de Migrantes", country="MX")
    workflow.apply(statement, "approve", crew["coordinator"])
    db.session.commit()

    lead_page = client.get(f"/organizations/{crew['lead'].slug}").get_data(as_text=True)
    assert "Firewalls for services" in lead_page and "Led" in lead_page
    signer_page = client.get(f"/organizations/{signature.organization.slug}").get_data(as_text=True)
    assert "Firewalls for services" in signer_page
    assert f"led by {crew['lead'].name}" in signer_page
    other = client.get(f"/organizations/{crew['lead'].slug}").get_data(as_text=True)
    assert "has not led or signed" not in other
