"""The round page: the coordinator's tools in a section of their own, not under the public
"Approved statements"; other people see neither."""

import re

from tests.helpers.clients import signed_in


def _page(app, user, slug) -> str:
    return signed_in(app, user).get(f"/rounds/{slug}").get_data(as_text=True)


def _section(page: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_coordinator_tools_have_their_own_section(app, people, make_round):
    round_ = make_round()
    page = _page(app, people["coordinator"], round_.slug)
    tools = _section(page, "coordinator")
    assert '<h2 id="coordinator-heading">Coordinator</h2>' in tools
    for label in ("Sign-on queue", "Review submissions", "Compendium and exports", "Edit round"):
        assert label in tools
    published = _section(page, "published")
    assert "Approved statements" in published and "Sign-on queue" not in published
    assert page.index('id="coordinator"') < page.index('id="published"')


def test_others_see_no_coordinator_section(app, people, make_round):
    round_ = make_round()
    for user in (None, people["member"]):
        page = _page(app, user, round_.slug)
        assert 'id="coordinator"' not in page and "Sign-on queue" not in page
