"""Every route × every role: who gets the page, who is sent to sign in, who gets a 403 (sees the
object, may not act) and who a 404 (may not know it exists). No role ever gets a 5xx; a refused
request writes nothing, and no GET writes anything. POSTs carry a valid CSRF token and no data,
so an allowed one answers with a form error or a redirect."""

import pytest
from flask import current_app
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage
from tests.helpers.routes import ROLES, expand, routes

# Answers, one letter per role in ROLES order: 2 = 200, L = sent to sign in, R = another
# redirect, E = 400 (form or link refused), 3 = 403, 4 = 404, M = 405, 9 = 409, G = 410 (a
# spent link), U = 422 (a decision form with errors).
MATRIX = {
    ("auth.change_password", "POST"): {"": "LEEEEEE"},
    ("auth.confirm_email", "GET"): {"": "4444444"},
    ("auth.confirm_email", "POST"): {"": "4444444"},
    ("auth.login", "GET"): {"": "2222222"},
    ("auth.login", "POST"): {"": "2222222"},
    ("auth.logout", "POST"): {"": "RRRRRRR"},
    ("auth.outbox", "GET"): {"": "L333322"},
    ("auth.outbox_message", "GET"): {"": "L333322"},
    ("auth.profile", "GET"): {"": "L222222"},
    ("auth.profile", "POST"): {"": "LEEEEEE"},
    ("auth.register", "GET"): {"": "2RRRRRR"},
    ("auth.register", "POST"): {"": "2RRRRRR"},
    ("auth.resend_confirmation", "POST"): {"": "LRRRRRR"},
    ("auth.reset_password", "GET"): {"": "2222222"},
    ("auth.reset_password", "POST"): {"": "2222222"},
    ("auth.reset_request", "GET"): {"": "2222222"},
    ("auth.reset_request", "POST"): {"": "2222222"},
    ("auth.user_deactivate", "POST"): {"": "L33333R"},
    ("auth.user_reactivate", "POST"): {"": "L33333R"},
    ("auth.user_role", "POST"): {"": "L33333R"},
    ("auth.users", "GET"): {"": "L333332"},
    # The world's organization has declared nothing: verify and reject are refused (redirect).
    ("accreditation.constituencies", "GET"): {"": "L333322"},
    ("accreditation.constituencies", "POST"): {"": "L3333EE"},
    ("accreditation.decide", "POST"): {"": "L3333RR"},
    # Site admins coordinate: they verify declarations, so they do not make them.
    ("accreditation.declare", "POST"): {"": "L333E33"},
    ("accreditation.remove_constituency", "POST"): {"": "L3333RR"},
    ("api.index", "GET"): {"": "2222222"},
    ("api.openapi", "GET"): {"": "2222222"},
    ("api.round_", "GET"): {"": "2222222"},
    ("api.rounds", "GET"): {"": "2222222"},
    ("api.statement", "GET"): {"approved": "2222222", "signing": "4444444"},
    ("api.statements", "GET"): {"": "2222222"},
    ("core.healthz", "GET"): {"": "2222222"},
    ("core.home", "GET"): {"": "2222222"},
    ("desk.index", "GET"): {"": "L222222"},
    ("desk.reminder", "GET"): {"signing": "L322233", "foreign_draft": "L444433"},
    ("desk.reminder", "POST"): {"signing": "L322233", "foreign_draft": "L444433"},
    ("exports.compendium", "GET"): {"": "L333322"},
    ("exports.compendium_pdf", "GET"): {"": "4444444"},
    ("exports.job_status", "GET"): {"": "L333344"},
    ("exports.round_zip", "GET"): {"": "4444444"},  # no approved statement in the round
    ("exports.start_compendium", "POST"): {"": "L3333RR"},
    ("feeds.round_feed", "GET"): {"": "2222222"},
    # the language switcher: sets a cookie (none without a language) and goes back
    ("i18n.switch_language", "POST"): {"": "RRRRRRR"},
    ("organizations.approve_request", "POST"): {"": "L333R3R"},
    ("organizations.change_role", "POST"): {"": "L333R3R"},
    ("organizations.decline_request", "POST"): {"": "L333R3R"},
    ("organizations.edit", "GET"): {"": "L333232"},
    ("organizations.edit", "POST"): {"": "L333R3R"},
    ("organizations.index", "GET"): {"": "2222222"},
    ("organizations.invitation", "GET"): {"": "4444444"},
    ("organizations.invitation", "POST"): {"": "4444444"},
    ("organizations.invite", "POST"): {"": "L333E3E"},
    ("organizations.join", "POST"): {"": "LR333RR"},
    ("organizations.members", "GET"): {"": "L333232"},
    ("organizations.profile", "GET"): {"": "2222222"},
    ("organizations.reject", "POST"): {"": "L3333EE"},
    ("organizations.remove_member", "POST"): {"": "L333R3R"},
    ("organizations.verification_queue", "GET"): {"": "L333322"},
    ("organizations.verify", "POST"): {"": "L3333RR"},
    ("publication.earlier_pdf", "GET"): {"approved": "4444444", "signing": "4444444"},
    ("publication.statement", "GET"): {"approved": "2222222", "signing": "4444444"},
    ("publication.statement_export", "GET"): {"approved": "2222222", "signing": "4444444"},
    ("publication.statement_pdf", "GET"): {"approved": "2222222", "signing": "4444444"},
    # The world's statements have no translation: no language page or file to find.
    ("publication.translated", "GET"): {"approved": "4444444", "signing": "4444444"},
    ("publication.translated_file", "GET"): {"approved": "4444444", "signing": "4444444"},
    ("review.decide", "GET"): {"signing": "L333322", "foreign_draft": "L333322"},
    ("review.decide", "POST"): {"signing": "L3333UU", "foreign_draft": "L3333UU"},
    ("review.preview", "GET"): {"signing": "L333322", "foreign_draft": "L333322"},
    ("review.queue", "GET"): {"": "L333322"},
    ("review.resume", "POST"): {"signing": "L333333", "foreign_draft": "L444433"},
    ("review.submit", "POST"): {"signing": "L3RRR33", "foreign_draft": "L444433"},
    ("review.withdraw", "GET"): {"signing": "L322233", "foreign_draft": "L444433"},
    ("review.withdraw", "POST"): {"signing": "L3RRR33", "foreign_draft": "L444433"},
    ("rounds.edit_process", "GET"): {"": "L333322"},
    ("rounds.edit_process", "POST"): {"": "L3333RR"},
    ("rounds.edit_round", "GET"): {"": "L333322"},
    ("rounds.edit_round", "POST"): {"": "L333322"},
    ("exports.venue_file", "GET"): {"signing": "L333344", "foreign_draft": "L333344"},
    ("rounds.index", "GET"): {"": "2222222"},
    ("rounds.requirements", "GET"): {"": "L333322"},
    ("rounds.requirements", "POST"): {"": "L333322"},
    ("rounds.new_process", "GET"): {"": "L333322"},
    ("rounds.new_process", "POST"): {"": "L333322"},
    ("rounds.new_round", "GET"): {"": "L333322"},
    ("rounds.new_round", "POST"): {"": "L333322"},
    ("rounds.round_detail", "GET"): {"": "2222222"},
    ("signons.approve_selected", "POST"): {"": "L3333RR"},
    ("signons.changes", "GET"): {"": "L444422"},
    ("signons.confirm", "GET"): {"": "GGGGGGG"},
    ("signons.confirm", "POST"): {"": "EEEEEEE"},
    ("signons.decide", "POST"): {"": "L3333RR"},
    ("signons.export", "GET"): {"signing": "L322222", "foreign_draft": "L444422"},
    ("signons.import_signons", "GET"): {"": "L333322"},
    ("signons.import_signons", "POST"): {"": "L3333EE"},
    ("signons.correct_list", "GET"): {"signing": "L333344", "foreign_draft": "L333344"},
    ("signons.correct_list", "POST"): {"signing": "L333344", "foreign_draft": "L333344"},
    ("signons.manage", "GET"): {"": "4444444"},
    ("signons.manage", "POST"): {"": "4444444"},
    ("signons.merge", "POST"): {"": "L333344"},
    ("signons.open_signing", "GET"): {"signing": "L322233", "foreign_draft": "L444433"},
    ("signons.open_signing", "POST"): {"signing": "L322233", "foreign_draft": "L444433"},
    ("signons.public_csv", "GET"): {"": "2222222"},
    ("signons.public_form", "GET"): {"": "2222222"},
    ("signons.public_form", "POST"): {"": "EEEEEEE"},
    ("signons.queue_page", "GET"): {"": "L333322"},
    ("signons.sign", "GET"): {"signing": "L332233", "foreign_draft": "L444433"},
    ("signons.sign", "POST"): {"signing": "L33EE33", "foreign_draft": "L444433"},
    ("signons.signatories", "GET"): {"signing": "L222222", "foreign_draft": "L444444"},
    ("signons.signatory_order", "POST"): {"signing": "L3EEE33", "foreign_draft": "L444444"},
    ("signons.signature_action", "POST"): {"": "L444433"},
    ("statements.comment", "POST"): {
        "own_draft": "L4EEEEE",
        "foreign_draft": "L4444EE",
        "signing": "L3EEEEE",
    },
    ("statements.diff", "GET"): {
        "own_draft": "L422222",
        "foreign_draft": "L444422",
        "signing": "L222222",
    },
    ("statements.draft_pdf", "GET"): {
        "own_draft": "L422222",
        "foreign_draft": "L444422",
        "signing": "L222222",
    },
    ("statements.import_status", "GET"): {"": "L444444"},
    ("statements.edit", "GET"): {
        "own_draft": "L422233",
        "foreign_draft": "L444433",
        "signing": "L322233",
    },
    ("statements.edit", "POST"): {
        "own_draft": "L4EEE33",
        "foreign_draft": "L444433",
        "signing": "L3EEE33",
    },
    ("statements.history", "GET"): {
        "own_draft": "L422222",
        "foreign_draft": "L444422",
        "signing": "L222222",
    },
    ("statements.import_file", "GET"): {"": "L222222"},
    ("statements.import_file", "POST"): {"": "LEEEEEE"},
    ("statements.invite", "POST"): {
        "own_draft": "L4RRR33",
        "foreign_draft": "L444433",
        "signing": "L3RRR33",
    },
    ("statements.mine", "GET"): {"": "L222222"},
    ("statements.new", "GET"): {"": "L222222"},
    ("statements.new", "POST"): {"": "LEEEEEE"},
    ("statements.preview", "POST"): {
        "own_draft": "L422233",
        "foreign_draft": "L444433",
        "signing": "L322233",
    },
    ("statements.preview_new", "POST"): {"": "L322233"},
    ("statements.venue_checks", "POST"): {
        "own_draft": "L422233",
        "foreign_draft": "L444433",
        "signing": "L322233",
    },
    ("statements.resolve", "POST"): {
        "own_draft": "L4RRRRR",
        "foreign_draft": "L444444",
        "signing": "L344444",
    },
    ("statements.respond", "POST"): {
        "own_draft": "L444444",
        "foreign_draft": "L444433",
        "signing": "L444444",
    },
    ("statements.restore", "POST"): {
        "own_draft": "L4RRR33",
        "foreign_draft": "L444433",
        "signing": "L3RRR33",
    },
    ("statements.revision", "GET"): {
        "own_draft": "L422222",
        "foreign_draft": "L444422",
        "signing": "L222222",
    },
    ("statements.show", "GET"): {
        "own_draft": "L422222",
        "foreign_draft": "L444422",
        "signing": "L222222",
    },
    ("statements.writing_guide", "GET"): {"": "2222222"},
    # Translations: drafters translate (coordinators read); the world has none, so one
    # language's pages are a 404 for whoever may see the statement.
    ("statements.translations", "GET"): {
        "own_draft": "L422222",
        "foreign_draft": "L444422",
        "signing": "L222222",
    },
    ("statements.translation", "GET"): {
        "own_draft": "L444444",
        "foreign_draft": "L444444",
        "signing": "L444444",
    },
    ("statements.translation_draft_pdf", "GET"): {
        "own_draft": "L444444",
        "foreign_draft": "L444444",
        "signing": "L444444",
    },
    ("statements.new_translation", "GET"): {
        "own_draft": "L422233",
        "foreign_draft": "L444433",
        "signing": "L322233",
    },
    ("statements.new_translation", "POST"): {
        "own_draft": "L4EEE33",
        "foreign_draft": "L444433",
        "signing": "L3EEE33",
    },
    ("statements.edit_translation", "GET"): {
        "own_draft": "L444433",
        "foreign_draft": "L444433",
        "signing": "L344433",
    },
    ("statements.edit_translation", "POST"): {
        "own_draft": "L444433",
        "foreign_draft": "L444433",
        "signing": "L344433",
    },
    ("statements.import_translation", "POST"): {
        "own_draft": "L4EEE33",
        "foreign_draft": "L444433",
        "signing": "L3EEE33",
    },
    ("statements.translation_preview", "POST"): {
        "own_draft": "L422233",
        "foreign_draft": "L444433",
        "signing": "L322233",
    },
}


def answer(response) -> str:
    code = response.status_code
    if code in (301, 302, 303):
        return "L" if "/login" in response.headers.get("Location", "") else "R"
    if code >= 500:
        return "!"
    letters = {200: "2", 400: "E", 403: "3", 404: "4", 405: "M", 409: "9", 410: "G", 422: "U"}
    return letters.get(code, f"<{code}>")


def _counts():
    return (
        db.session.scalar(select(func.count(AuditEvent.id))),
        db.session.scalar(select(func.count(OutboxMessage.id))),
    )


def observe(endpoint, method, world, client_as, roles=ROLES):
    """{label: answers} for one route and the given roles; asserts refusals wrote nothing."""
    rule = next(r for r in current_app.url_map.iter_rules() if r.endpoint == endpoint)
    results = {}
    for label, url in expand(rule, world):
        letters = ""
        for role in roles:
            client = client_as(role)
            kwargs = {"data": {"csrf_token": client.csrf_token()}} if method == "POST" else {}
            before = _counts()
            letter = answer(client.open(url, method=method, **kwargs))
            if letter in "L34" or method == "GET":
                assert _counts() == before, f"{method} {url} as {role} wrote (refused or GET)"
            letters += letter
        results[label] = letters
    return results


GETS = [route for route in routes() if route[1] == "GET"]
POSTS = [(*route, role) for route in routes() if route[1] == "POST" for role in ROLES]


@pytest.mark.parametrize(("endpoint", "method"), GETS)
def test_get_access(endpoint, method, world, client_as):
    expected = MATRIX.get((endpoint, method))
    assert expected is not None, f"{method} {endpoint} is not in the access matrix"
    assert observe(endpoint, method, world, client_as) == expected


@pytest.mark.parametrize(("endpoint", "method", "role"), POSTS)
def test_post_access(endpoint, method, role, world, client_as):
    """One role a test, each with a world of its own: an allowed POST changes state, and the
    next role must not find it changed."""
    expected = MATRIX.get((endpoint, method))
    assert expected is not None, f"{method} {endpoint} is not in the access matrix"
    position = ROLES.index(role)
    observed = observe(endpoint, method, world, client_as, roles=(role,))
    assert observed == {label: letters[position] for label, letters in expected.items()}


def test_matrix_names_exactly_the_routes():
    assert set(MATRIX) == set(routes())


@pytest.mark.parametrize(
    ("endpoint", "method"), [route for route in routes() if route[1] == "POST"]
)
def test_every_post_refuses_a_missing_csrf_token(endpoint, method, world, client_as):
    rule = next(r for r in current_app.url_map.iter_rules() if r.endpoint == endpoint)
    for role in ("org_admin", "admin"):
        client = client_as(role)
        for _label, url in expand(rule, world):
            before = _counts()
            response = client.post(url, data={}, csrf=False)
            assert response.status_code == 400, f"{url} as {role} accepted a POST without CSRF"
            assert _counts() == before
