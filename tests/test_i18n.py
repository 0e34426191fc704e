"""The interface in English, French and Spanish (docs/translating.md): complete catalogs, the
language chosen by profile, switcher cookie or Accept-Language, pages, e-mails and PDFs in it."""

import io
import re
from dataclasses import replace

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask_babel import lazy_gettext as _l
from pypdf import PdfReader
from sqlalchemy import select

from portal.config import ROOT
from portal.core.i18n import COOKIE, TRANSLATIONS
from portal.exports import compendium as comp
from portal.extensions import db
from portal.mail import queue_message
from portal.models import OutboxMessage, StatementState
from portal.pdf import Signatory, StatementDocument, render_statement_pdf
from portal.places import country_name
from tests.helpers.clients import PASSWORD, PortalClient

LANGUAGES = ("fr", "es")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every msgid the code and templates use now, extracted as `make translations` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as handle:
        return read_po(handle)


def _catalog(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_has_a_reviewed_translation(extracted, language):
    """A string wrapped but not translated (or left fuzzy) would show in English: refused."""
    catalog = _catalog(language)
    missing = []
    for message in extracted:
        if not message.id:
            continue
        entry = catalog.get(message.id)
        strings = () if entry is None else entry.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(message.id)
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_well_formed(language):
    """No fuzzy entry, placeholders as in the msgid, every plural form filled."""
    catalog = _catalog(language)
    assert not [m.id for m in catalog if m.id and m.fuzzy]
    errors = [(m.id, [str(e) for e in errs]) for m, errs in catalog.check()]
    assert not errors, errors[:5]
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert set(placeholder.findall(message.id)) == set(
                placeholder.findall(message.string)
            ), message.id


def test_the_english_names_of_a_page_are_translated(client):
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Declaraciones conjuntas de la sociedad civil" in page
    assert "Processes &amp; rounds" not in page and "Procesos y rondas" in page


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def as_(app, cast):
    def make(role, language=None):
        app.test_client_class = PortalClient
        client = app.test_client()
        if language:
            client.set_cookie(COOKIE, language)
        if role != "anonymous":
            response = client.post("/login", data={"email": cast[role].email, "password": PASSWORD})
            assert response.status_code == 302
        return client

    return make


WORDS = {
    "fr": ("Déclaration", "Organisations", "Se déconnecter"),
    "es": ("Declaración", "Organizaciones", "Cerrar sesión"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_key_pages_in_french_and_spanish(as_, cast, statement_in, language):
    statement = statement_in()
    round_ = cast["round"]
    coordinator = as_("coordinator", language)
    signatory = as_("signatory", language)
    anonymous = as_("anonymous", language)
    pages = {
        "home": anonymous.get("/"),
        "login": anonymous.get("/login"),
        "round": anonymous.get(f"/rounds/{round_.slug}"),
        "statement": signatory.get(f"/statements/{statement.id}"),
        "sign": signatory.get(f"/statements/{statement.id}/sign"),
        "public form": anonymous.get(f"/s/{statement.public_token}"),
        "queue": coordinator.get(f"/rounds/{round_.slug}/signons"),
    }
    expected = {
        "fr": {
            "home": "Cycles ouverts aux déclarations",
            "login": "Mot de passe oublié ?",
            "round": "Programme de travail",
            "statement": "Historique",
            "sign": "J'ai lu cette révision et je la signe au nom de mon organisation",
            "public form": "Signer pour votre organisation",
            "queue": "Toutes les déclarations",
        },
        "es": {
            "home": "Rondas abiertas a las declaraciones",
            "login": "¿Olvidó su contraseña?",
            "round": "Programa de trabajo",
            "statement": "Historial",
            "sign": "He leído esta revisión y la firmo en nombre de mi organización",
            "public form": "Firmar por su organización",
            "queue": "Cualquier declaración",
        },
    }[language]
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert expected[name] in _text(html).replace("&#39;", "'"), name
        # the header's own words: nothing of the English interface is left there
        assert "Skip to content" not in html and "Processes &amp; rounds" not in html, name
    assert WORDS[language][2] in pages["queue"].get_data(as_text=True)


def test_accept_language_picks_the_best_supported_language(client):
    spanish = client.get("/", headers={"Accept-Language": "de;q=1, es-MX;q=0.8, fr;q=0.5"})
    assert '<html lang="es">' in spanish.get_data(as_text=True)
    unknown = client.get("/", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in unknown.get_data(as_text=True)


def test_switcher_sets_a_cookie_by_post_only(client):
    refused = client.get("/language?language=fr")
    assert refused.status_code == 405
    assert client.get_cookie(COOKIE) is None
    response = client.post("/language", data={"language": "fr", "next": "/rounds"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/rounds")
    assert client.get_cookie(COOKIE).value == "fr"
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="fr">' in page, "the cookie wins over Accept-Language"
    # an unknown language or a foreign `next` changes nothing
    client.post("/language", data={"language": "xx", "next": "https://evil.example/"})
    assert client.get_cookie(COOKIE).value == "fr"


def test_switcher_needs_the_csrf_token(client):
    response = client.post("/language", data={"language": "fr"}, csrf=False)
    assert response.status_code == 400
    assert client.get_cookie(COOKIE) is None


def test_profile_language_wins_over_cookie_and_browser(as_, cast):
    client = as_("signatory", "es")
    assert '<html lang="es">' in client.get("/profile").get_data(as_text=True)
    response = client.post(
        "/profile",
        data={"name": cast["signatory"].name, "timezone": "", "locale": "fr"},
        follow_redirects=True,
    )
    assert "Votre profil est enregistré." in _text(response.get_data(as_text=True))
    assert cast["signatory"].locale == "fr"
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="fr">' in page
    refused = client.post(
        "/profile", data={"name": cast["signatory"].name, "timezone": "", "locale": "de"}
    )
    assert refused.status_code == 400 and cast["signatory"].locale == "fr"


def test_emails_are_written_in_the_recipients_language(app, as_, cast, statement_in):
    """The coordinator works in French, the drafter in Spanish: each reads its own language,
    whatever the language of the person whose action sends the message."""
    cast["drafter"].locale = "es"
    cast["signatory"].locale = "fr"
    db.session.flush()
    statement = statement_in()
    client = as_("signatory", "en")
    data = {
        "organization": cast["signer_org"].id,
        "revision_id": statement.current_revision_id,
        "confirm": "y",
    }
    assert client.post(f"/statements/{statement.id}/sign", data=data).status_code == 302
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == cast["signatory"].email)
    ).all()[-1]
    assert mail.subject.startswith("Signée : ")
    assert "a signé « Joint statement »" in mail.body
    # the lead withdraws from an English page: the signatory reads it in French
    lead = as_("drafter", "en")
    response = lead.post(f"/statements/{statement.id}/withdraw", data={"message": ""})
    assert response.status_code == 302
    assert statement.state == StatementState.WITHDRAWN
    withdrawn = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == "statement_withdrawn",
            OutboxMessage.recipient == cast["signatory"].email,
        )
    ).all()
    assert [m.subject for m in withdrawn] == ["Retirée : Joint statement"]
    assert "a retiré la déclaration" in withdrawn[0].body
    # and a Spanish-speaking recipient gets Spanish, whoever sends it
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        message = queue_message(
            cast["drafter"].email,
            "password_changed",
            _l("Your password was changed"),
            user=cast["drafter"],
            reset_link="https://example.org/reset",
        )
    assert message.subject == "Su contraseña se ha cambiado"
    assert message.body.startswith("Hola, Lead Drafter:")


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


@pytest.mark.parametrize(
    ("language", "signed", "page"),
    [
        ("en", "Signed by 2 organizations", "Page 1 of 1"),
        ("fr", "Signée par 2 organisations", "Page 1 sur 1"),
        ("es", "Firmada por 2 organizaciones", "Página 1 de 1"),
    ],
)
def test_pdf_words_in_the_statements_language(language, signed, page):
    doc = StatementDocument(
        title="Title",
        body="One paragraph.\n",
        lead="Lead Coalition",
        language=language,
        signatories=[Signatory("Alpha", "SN"), Signatory("Beta", "PH")],
    )
    text = _pdf_text(render_statement_pdf(doc))
    assert signed in text and page in text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ("Déclarations conjointes de la société civile", "Sommaire", "Index des")),
        ("es", ("Declaraciones conjuntas de la sociedad civil", "Índice de organizaciones")),
    ],
)
def test_compendium_cover_contents_index_in_its_language(tmp_path, language, words):
    doc = StatementDocument(
        title="A statement", body="Text.\n", lead="Lead", signatories=[Signatory("Alpha", "SN")]
    )
    compendium = comp.Compendium(
        "Process", "Round", "Geneva", "1–2 May 2026", [comp.Entry("s1", doc)], language=language
    )
    path = tmp_path / "c.pdf"
    comp.write_compendium(compendium, path)
    text = _pdf_text(path.read_bytes())
    for word in words:
        assert word in text
    total = len(PdfReader(str(path)).pages)
    assert ("sur" if language == "fr" else "de") + f" {total}" in text


def test_country_names_follow_the_page(app, client):
    from flask_babel import force_locale

    with force_locale("fr"):
        assert country_name("DE") == "Allemagne"
    with force_locale("es"):
        assert country_name("DE") == "Alemania"
    assert country_name("DE") == "Germany"
    page = client.get("/register", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert ">Allemagne<" in page and ">Afrique de l&#39;Ouest<" in page


def test_dates_in_the_chosen_language(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from portal.core.template_helpers import format_date_range, zoned

    moment = datetime(2026, 12, 20, 9, 30, tzinfo=UTC)
    assert zoned(moment, "UTC") == "20 December 2026, 09:30 UTC (UTC)"
    with force_locale("fr"):
        assert zoned(moment, "UTC") == "20 décembre 2026, 09:30 UTC (UTC)"
        assert format_date_range(moment.date(), moment.date()) == "20 décembre 2026"
    with force_locale("es"):
        assert zoned(moment, "UTC").startswith("20 de diciembre de 2026, 09:30")


def test_pdf_places_in_the_statements_language(app):
    """Inside the app a French statement lists its signatories' countries and regions in
    French, whoever asks for the PDF."""
    doc = StatementDocument(
        title="Titre",
        body="Un paragraphe.\n",
        language="fr",
        signatories=[
            Signatory("Alpha", "DE"),
            Signatory("Beta", scope="regional", region="West Africa"),
        ],
    )
    text = _pdf_text(render_statement_pdf(doc))
    assert "Alpha (Allemagne)" in text and "Beta (Afrique de l'Ouest)" in text
    english = _pdf_text(render_statement_pdf(replace(doc, language="en")))
    assert "Alpha (Germany)" in english and "Beta (West Africa)" in english
