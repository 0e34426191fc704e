"""The statement pages set the text in its language: typography, lang and dir on the page, the
live preview, and a new statement's preview in the language picked in its form."""

import re

from portal.extensions import db
from tests.helpers.clients import signed_in

from .statements_support import make_draft

NBSP, NNBSP = "\u00a0", "\u202f"


def _article(page):
    match = re.search(r'<article class="statement-text"([^>]*)>(.*?)</article>', page, re.S)
    return match.group(1), match.group(2).replace("&nbsp;", NBSP)


def test_french_statement_page(app, drafting):
    statement = make_draft(
        drafting.lead_member,
        drafting.lead_org,
        drafting.round,
        body='Le "projet"[^1]. Pourquoi?\n\n[^1]: Note.\n',
    )
    statement.language = "fr"
    db.session.commit()
    page = signed_in(app, drafting.lead_member).get(f"/statements/{statement.id}")
    attributes, text = _article(page.get_data(as_text=True))
    assert 'lang="fr"' in attributes and 'dir="ltr"' in attributes
    assert f"Le «{NBSP}projet{NBSP}»<sup" in text and f"Pourquoi{NNBSP}?" in text


def test_arabic_statement_page_is_right_to_left(app, drafting):
    statement = make_draft(
        drafting.lead_member, drafting.lead_org, drafting.round, body="نص عربي.\n\nEnglish.\n"
    )
    statement.language = "ar"
    db.session.commit()
    page = signed_in(app, drafting.lead_member).get(f"/statements/{statement.id}")
    attributes, text = _article(page.get_data(as_text=True))
    assert 'lang="ar"' in attributes and 'dir="rtl"' in attributes
    assert "<p>نص عربي.</p>" in text and '<p dir="ltr">English.</p>' in text


def test_live_preview_in_the_statement_language_and_the_new_form_language(app, drafting):
    client = signed_in(app, drafting.lead_member)
    drafting.statement.language = "fr"
    db.session.commit()
    body = {"body": "Voir: ceci."}
    preview = client.post(f"/statements/{drafting.statement.id}/preview", data=body)
    assert f"Voir{NBSP}: ceci." in preview.get_data(as_text=True).replace("&nbsp;", NBSP)
    url = f"/rounds/{drafting.round.slug}/statements/preview"
    spanish = client.post(url, data={"body": 'Ver "esto"[^1].\n\n[^1]: N.\n', "language": "es"})
    assert "Ver “esto”<sup" in spanish.get_data(as_text=True)
    english = client.post(url, data={"body": 'See "this"[^1].\n\n[^1]: N.\n'})
    assert "See “this”.<sup" in english.get_data(as_text=True)
