"""Signatories see what changed since they signed as formatted text; drafters may still compare
the source on the history page."""

import re

import pytest

from portal.extensions import db
from portal.models import StatementState
from portal.signons import links
from portal.signons import operations as signons
from portal.statements import operations
from tests.review_support import BODY

NEW_BODY = (
    BODY.replace("## Our asks", "## Our three asks")
    .replace("- An end to child detention.", "- An end to all child detention.")
    .replace("[^1]: See <https://example.org/report>.", "[^1]: Read <https://example.org/report>.")
    .replace("human rights.", "human rights;")
)


@pytest.fixture
def changed(crew, make_statement, people):
    """A statement in signing, signed by people's organization, then substantively edited."""
    statement = make_statement(StatementState.SIGNING)
    signature = signons.sign(
        people["signatory"], statement, people["org"], statement.current_revision_id
    )
    operations.save_revision(
        crew["drafter"],
        statement,
        base_revision_id=statement.current_revision_id,
        title="Joint statement, revised",
        body=NEW_BODY,
    )
    db.session.commit()
    return statement, signature


def _formatted(page: str) -> None:
    assert "<h2>Our <ins>three</ins> asks</h2>" in page
    assert "<li>An end to <ins>all</ins> child detention.</li>" in page
    assert "<del>See</del> <ins>Read</ins>" in page
    assert "human rights<del>.</del><ins>;</ins>" in page
    assert "## Our" not in page and "[^1]" not in page


def test_signatory_sees_the_change_as_formatted_text(client_as, changed):
    statement, signature = changed
    page = client_as("signatory").get(f"/signatures/{signature.id}/changes")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    _formatted(html)
    assert 'class="diff diff-formatted statement-text"' in html
    assert "Joint statement<ins>, revised</ins>" in html


def test_the_e_mailed_link_shows_the_formatted_change_too(client, changed):
    statement, signature = changed
    token = links.manage_token(signature)
    _formatted(client.get(f"/signatures/manage/{token}").get_data(as_text=True))


def test_history_diff_is_formatted_for_readers_and_source_for_drafters(
    client_as, login, client, changed, crew
):
    statement, _ = changed
    url = f"/statements/{statement.id}/diff?from=1&to=2"
    reader = client_as("signatory")
    page = reader.get(url).get_data(as_text=True)
    _formatted(page)
    assert "Show the changes in the source" not in page
    # Asking for the source is not enough: readers get the formatted text.
    _formatted(reader.get(url + "&view=source").get_data(as_text=True))

    drafter = login(crew["drafter"], client)
    page = drafter.get(url).get_data(as_text=True)
    _formatted(page)
    assert "Show the changes in the source" in page
    source = drafter.get(url + "&view=source").get_data(as_text=True)
    assert "## Our <ins>three</ins> asks" in source and "[^1]: <del>See</del>" in source
    assert "Show the changes as formatted text" in source
    assert 'name="view" value="source"' in source  # the revision picker keeps the view


@pytest.mark.parametrize(
    ("locale", "sentences"),
    [
        (
            "fr",
            (
                r"Signature : <span class=\"badge badge-\w+\">[^<]+</span>, sur la révision 1 ; "
                r"le texte actuel est la révision 2\.",
                r"Mots ajoutés : \d+ ; mots supprimés : \d+\.",
                r"Le <ins>texte ajouté</ins> et le <del>texte supprimé</del> sont signalés\.",
            ),
        ),
        (
            None,
            (
                r"Signature: <span class=\"badge badge-\w+\">[^<]+</span>, on revision 1; the "
                r"current text is revision 2\.",
                r"Words added: \d+; words removed: \d+\.",
                r"<ins>Added text</ins> and <del>removed text</del> are marked\.",
            ),
        ),
    ],
)
def test_the_changes_page_says_each_sentence_whole_in_the_readers_language(
    client_as, changed, people, locale, sentences
):
    _statement, signature = changed
    people["signatory"].locale = locale
    db.session.commit()
    page = client_as("signatory").get(f"/signatures/{signature.id}/changes")
    text = " ".join(page.get_data(as_text=True).split())
    for sentence in sentences:
        assert re.search(sentence, text), sentence
    assert "&lt;span" not in text
