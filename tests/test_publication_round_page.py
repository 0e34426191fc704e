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
