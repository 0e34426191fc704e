"""Every route of the app, and its URLs with their variables filled from the access-matrix world
(`tests/access_world.py`): what the matrix, the redirect, header and input checks walk."""

import re

ROLES = ("anonymous", "outsider", "member", "signatory", "org_admin", "coordinator", "admin")

# Which object of the world a URL variable names, per endpoint prefix (first match wins).
SLUGS = (
    ("organizations.", "org"),
    ("accreditation.decide", "org"),
    ("accreditation.declare", "org"),
    ("accreditation.", "process"),
    ("rounds.edit_process", "process"),
    ("rounds.new_round", "process"),
    ("", "round"),
)
VARIABLES = {
    "membership_id": "membership",
    "message_id": "message",
    "user_id": "user",
    "public_token": "public_token",
    "signature_id": "signature",
    "comment_id": "comment",
    "drafter_id": "foreign_drafter",
}
FIXED = {"token": "not-a-valid-token", "number": "1", "job_id": "999999", "version": "1"}


def _statement_variants(endpoint: str) -> tuple[str, ...]:
    if endpoint.startswith(("publication.", "api.")):
        return ("approved", "signing")
    if endpoint.startswith("statements."):
        return ("own_draft", "foreign_draft", "signing")
    return ("signing", "foreign_draft")


def expand(rule, ids: dict) -> list[tuple[str, str]]:
    """(label, url) for each object a route is checked against."""
    variants = [("", {})]
    if "statement_id" in rule.arguments:
        variants = [(key, {"statement_id": ids[key]}) for key in _statement_variants(rule.endpoint)]
    urls = []
    for label, values in variants:
        values = dict(values)
        for name in rule.arguments - values.keys():
            if name == "slug":
                key = next(key for prefix, key in SLUGS if rule.endpoint.startswith(prefix))
                values[name] = ids[key]
            elif name in VARIABLES:
                values[name] = ids[VARIABLES[name]]
            elif name in FIXED:
                values[name] = FIXED[name]
            else:  # an <any(a, b):name> converter: take its first choice
                choices = re.search(rf"<any\(([^)]*)\):{name}>", rule.rule).group(1)
                values[name] = choices.split(",")[0].strip(" '")
        urls.append((label, build_url(rule, values)))
    return urls


def build_url(rule, values: dict) -> str:
    url = rule.rule
    for name, value in values.items():
        url = re.sub(rf"<(?:[^>:]+(?:\([^)]*\))?:)?{name}>", str(value), url)
    return url


def routes():
    from portal import create_app

    app = create_app({"TESTING": True})
    return sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )
