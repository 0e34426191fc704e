"""Issue 12's "Done when", in a real browser: a French-speaking coordinator and Spanish-speaking
signatories go through the whole journey in their language, and the statement is delivered as
EN/FR/ES PDFs with one signatory list.

The round, the people and the first draft are set up through operations; every step a person
takes goes through the browser. The signatories' and the coordinator's language comes from
their profile (their browser asks for English, and loses); the public signer has no account, so
it is their browser's Accept-Language (es-MX) that speaks for them — on the pages and in every
e-mail they get, including those sent while the French coordinator decides."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import MemberRole, OutboxMessage, SiteRole, Statement, StatementState
from portal.statements import operations
from tests.helpers.clients import PASSWORD

TITLE = "Joint statement on migrant workers"
BODY = """## Our asks

Migrants' rights are human rights.[^1]

[^1]: See <https://example.org/report>.
"""
FRENCH = """## Nos demandes

Les droits des migrants sont des droits humains.[^1]

[^1]: Voir <https://example.org/rapport>.
"""
SPANISH = """## Nuestras demandas

Los derechos de los migrantes son derechos humanos.[^1]

[^1]: Véase <https://example.org/informe>.
"""
SIGNERS = {  # organization: (country, French name, Spanish name)
    "Colectivo Sur": ("MX", "Mexique", "México"),
    "Red Andina": ("CO", "Colombie", "Colombia"),
    "Voces Migrantes": ("GT", "Guatemala", "Guatemala"),
}
# Interface phrases of the pages the signatories and the coordinator see: none may be left in
# English on their pages (the statement's own text is English, so only known phrases count).
ENGLISH_PHRASES = (
    "Sign out",
    "Sign this statement",
    "Sign on behalf of",
    "I have read this revision",
    "Sign revision",
    "Signed on behalf of",
    "Organization name",
    "Country or region",
    "Kind of organization",
    "Contact person",
    "Sign on for your organization",
    "Check your e-mail",
    "Confirm the sign-on",
    "Thank you",
    "Approve selected",
    "sign-ons approved",
    "Record the decision",
    "Request changes",
    "Message to the drafters",
    "Approved:",
    "Profile",
)


@pytest.fixture
def people(make_user, make_org, make_round):
    lead = make_org(name="Lead Coalition", slug="lead-coalition")
    sur = make_org(name="Colectivo Sur", slug="colectivo-sur", country="MX")
    andina = make_org(name="Red Andina", slug="red-andina", country="CO")
    cast = {
        "round": make_round(),
        "lead": lead,
        "drafter": make_user(name="Lead Drafter", org=lead, role=MemberRole.ADMIN),
        "coordinator": make_user(name="Camille Coordinatrice", site_role=SiteRole.COORDINATOR),
        "lucia": make_user(name="Lucía Firmante", org=sur, role=MemberRole.SIGNATORY),
        "mateo": make_user(name="Mateo Firmante", org=andina, role=MemberRole.SIGNATORY),
        "sur": sur,
        "andina": andina,
    }
    cast["coordinator"].locale = "fr"
    cast["lucia"].locale = "es"
    cast["mateo"].locale = "es"
    db.session.commit()
    return cast


@pytest.fixture
def spanish_visitor(browser, live_server):
    """A person without an account whose browser asks for Spanish (Mexico)."""
    context = browser.new_context(base_url=live_server.url, locale="es-MX")
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _text(page) -> str:
    return " ".join(page.locator("body").inner_text().split())


def _in_language(page, lang: str, *words: str) -> None:
    """The page is in `lang`: <html lang>, the given words, and none of the English phrases."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    text = _text(page)
    for word in words:
        assert word in text, f"{word!r} missing on {page.url} ({lang})"
    left = [
        text[max(found.start() - 40, 0) : found.end() + 40]
        for phrase in ENGLISH_PHRASES
        for found in re.finditer(rf"\b{re.escape(phrase)}\b", text)
    ]
    assert not left, f"English left on {page.url} ({lang}): {left}"


def _sign_in(page, user):
    page.goto("/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _sign_out(page, name="Sign out"):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def _mail(recipient: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id)
    ).all()


def _sign_as_spanish_signatory(page, statement_id, user, organization):
    _sign_in(page, user)
    page.goto(f"/statements/{statement_id}")
    _in_language(page, "es", "Firmar esta declaración", "Cerrar sesión")
    page.get_by_role("link", name="Firmar esta declaración").click()
    _in_language(page, "es", "Firmar en nombre de", "Firmar la revisión 1")
    page.get_by_label("Firmar en nombre de").select_option(str(organization.id))
    page.get_by_label("He leído esta revisión").check()
    page.get_by_role("button", name="Firmar la revisión 1").click()
    expect(page.get_by_text(f"Firmada en nombre de {organization.name}.")).to_be_visible()
    _in_language(page, "es", f"Firmada en nombre de {organization.name}.")
    _sign_out(page, "Cerrar sesión")


def _add_translation(page, statement_id, language, title, body, saved):
    page.goto(f"/statements/{statement_id}")
    page.get_by_role("link", name="Translations").click()
    page.get_by_role("link", name="Add a translation").click()
    page.get_by_label("Language of the translation").select_option(label=language)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Text", exact=True).fill(body)
    page.get_by_role("button", name="Save the translation").click()
    expect(page.get_by_text(saved)).to_be_visible()


def _pdf_text(page, href: str, live_server) -> tuple[str, str]:
    response = page.request.get(live_server.url + href)
    assert response.ok and response.body().startswith(b"%PDF"), href
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    return str(reader.trailer["/Root"]["/Lang"]), text


def test_french_coordinator_and_spanish_signatories_deliver_en_fr_es_pdfs(
    page, spanish_visitor, people, live_server
):
    statement = operations.create_statement(
        people["drafter"],
        people["round"],
        area=people["round"].areas[0],
        organization=people["lead"],
        title=TITLE,
        body=BODY,
    )
    db.session.commit()
    statement_id = statement.id
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit this text?"

    # The lead (English) opens the statement for signatures.
    _sign_in(page, people["drafter"])
    page.goto(f"/statements/{statement_id}")
    page.get_by_role("link", name="Open for signatures").click()
    page.get_by_role("button", name="Open for signatures").click()
    expect(page.get_by_text("The statement is open for signatures.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _sign_out(page)

    # Two Spanish-speaking signatories sign, in Spanish although their browser asks for English.
    _sign_as_spanish_signatory(page, statement_id, people["lucia"], people["sur"])
    _sign_as_spanish_signatory(page, statement_id, people["mateo"], people["andina"])

    # An organization without an account signs on through the public form, in Spanish.
    db.session.expire_all()
    token = db.session.get(Statement, statement_id).public_token
    visitor = spanish_visitor
    visitor.goto(f"/s/{token}")
    _in_language(visitor, "es", "Firmar por su organización", "Nombre de la organización")
    visitor.get_by_label("Nombre de la organización").fill("Voces Migrantes")
    visitor.get_by_label("País o región").select_option("GT")
    visitor.get_by_label("Tipo de organización").select_option("migrant_led")
    visitor.get_by_label("Persona de contacto").fill("Ana López")
    visitor.get_by_label("Correo electrónico de contacto").fill("ana@voces.example.org")
    visitor.get_by_label("puede publicarse").check()
    visitor.get_by_role("button", name="Firmar", exact=True).click()
    expect(visitor.get_by_role("heading", name="Revise su correo electrónico")).to_be_visible()
    _in_language(visitor, "es", "Revise su correo electrónico")
    confirm = _mail("ana@voces.example.org")[0]
    assert confirm.subject == f"Confirme su firma: {TITLE}"
    visitor.goto(re.search(r"https?://\S+/confirm/\S+", confirm.body).group(0))
    _in_language(visitor, "es", "Confirmar la firma")
    visitor.get_by_role("button", name="Confirmar la firma").click()
    expect(visitor.get_by_role("heading", name="Gracias")).to_be_visible()
    _in_language(visitor, "es", "Gracias")

    # The lead submits the text to the round.
    _sign_in(page, people["drafter"])
    page.goto(f"/statements/{statement_id}")
    page.get_by_role("button", name="Submit to the round").click()
    expect(page.get_by_text("Submitted revision 1 for review.")).to_be_visible()
    _sign_out(page)

    # The French coordinator approves the three sign-ons, then the statement, in French.
    _sign_in(page, people["coordinator"])
    page.goto(f"/rounds/{people['round'].slug}/signons")
    _in_language(page, "fr", "Approuver la sélection", "Se déconnecter")
    for name in SIGNERS:
        page.get_by_label(f"Sélectionner {name}").check()
    page.get_by_role("button", name="Approuver la sélection").click()
    expect(page.get_by_text("3 signatures approuvées.")).to_be_visible()
    _in_language(page, "fr", "3 signatures approuvées.")
    page.goto(f"/rounds/{people['round'].slug}/review")
    _in_language(page, "fr")
    page.get_by_role("link", name=TITLE).click()
    _in_language(page, "fr", "Enregistrer la décision", "Message aux organisations rédactrices")
    page.get_by_label(re.compile("^Approuver —")).check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text(re.compile(rf"Approuvée\s:\s{TITLE}\."))).to_be_visible()
    _in_language(page, "fr")
    _sign_out(page, "Se déconnecter")

    # The drafters add the French and Spanish translations.
    _sign_in(page, people["drafter"])
    _add_translation(
        page,
        statement_id,
        "French",
        "Déclaration commune sur les travailleurs migrants",
        FRENCH,
        "The French translation is saved.",
    )
    _add_translation(
        page,
        statement_id,
        "Spanish",
        "Declaración conjunta sobre los trabajadores migrantes",
        SPANISH,
        "The Spanish translation is saved.",
    )
    _sign_out(page)

    # The public page offers three languages; each PDF carries the one signatory list.
    page.goto(f"/published/{statement_id}")
    languages = page.get_by_role("navigation", name="Languages")
    hrefs = {
        code: languages.get_by_role("link", name=f"PDF in {name}").get_attribute("href")
        for code, name in (("en", "English"), ("fr", "French"), ("es", "Spanish"))
    }
    visitor.goto(f"/published/{statement_id}")
    _in_language(visitor, "es", "Firmada por 3 organizaciones", "Idiomas")
    visitor.get_by_role("link", name="Español", exact=True).click()
    expect(
        visitor.get_by_role("heading", name="Declaración conjunta sobre los trabajadores migrantes")
    ).to_be_visible()
    words = {  # each PDF's own words, from the catalogs
        "en": ("Signed by 3 organizations", "Page 1 of", 0),
        "fr": ("Signée par 3 organisations", "Page 1 sur", 1),
        "es": ("Firmada por 3 organizaciones", "Página 1 de", 2),
    }
    orders = {}
    for code, (signed_by, page_words, place) in words.items():
        lang, text = _pdf_text(page, hrefs[code], live_server)
        assert lang == code
        assert signed_by in text, f"{signed_by!r} not in the {code} PDF"
        assert page_words in text, f"{page_words!r} not in the {code} PDF"
        listed = text[text.index(signed_by) :]
        for other, (other_signed_by, other_page, _) in words.items():
            if other != code:
                assert other_signed_by not in text and other_page not in text
        if place:
            for name, places in SIGNERS.items():
                assert f"{name} ({places[place]})" in listed, (name, code)
        orders[code] = sorted(SIGNERS, key=listed.index)
    assert orders["en"] == orders["fr"] == orders["es"]

    # Each person's e-mails are in their language: the Spanish signers', the anonymous one's
    # (even those sent by the French coordinator's decisions), the coordinator's.
    for user in (people["lucia"], people["mateo"]):
        subjects = [m.subject for m in _mail(user.email)]
        assert subjects == [
            f"Firmada: {TITLE}",
            f"Presentada para examen: {TITLE}",
            f"Aprobada: {TITLE}",
        ], subjects
    spanish = _mail("ana@voces.example.org")
    assert [m.subject for m in spanish] == [
        f"Confirme su firma: {TITLE}",
        f"Firma confirmada: {TITLE}",
        f"Presentada para examen: {TITLE}",
        f"Firma aprobada: {TITLE}",
        f"Aprobada: {TITLE}",
    ]
    for message in spanish + _mail(people["lucia"].email) + _mail(people["mateo"].email):
        assert message.body.startswith("Hola"), message.body
        assert "Hello" not in message.body and "Bonjour" not in message.body
    french = _mail(people["coordinator"].email)
    assert [m.subject for m in french] == [f"Soumise pour examen : {TITLE}"]
    assert french[0].body.startswith("Bonjour") and "Hello" not in french[0].body
    english = _mail(people["drafter"].email)
    assert english and all(m.body.startswith("Hello") for m in english), [
        m.body[:80] for m in english
    ]
    db.session.expire_all()
    assert db.session.get(Statement, statement_id).state == StatementState.APPROVED
