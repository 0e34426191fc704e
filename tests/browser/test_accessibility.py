"""axe-core (through axe-playwright-python) finds no serious or critical violation on the main
pages of every role: labels, contrast, landmarks, headings, names of links and buttons."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers.clients import PASSWORD

PAGES = {
    "anonymous": [
        "/",
        "/rounds/{round}",
        "/register",
        "/s/{public_token}",
        "/published/{approved}",
        "/organizations/{org}",
        "/login",
    ],
    "member": [
        "/",
        "/statements/mine",
        "/statements/{signing}",
        "/statements/{own_draft}/edit",
        "/statements/{signing}/signatures",
        "/organizations/{org}",
        "/desk",
    ],
    "signatory": ["/statements/{signing}/sign"],
    "org_admin": [
        "/desk",
        "/statements/{signing}/reminder",
        "/organizations/{org}/edit",
        "/organizations/{org}/members",
    ],
    "coordinator": [
        "/",
        "/rounds/{round}",
        "/rounds/{round}/signons",
        "/rounds/{round}/review",
        "/review/statements/{signing}",
        "/desk",
    ],
}
SEVERE = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _severe(results) -> list[str]:
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in SEVERE:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.mark.parametrize("role", list(PAGES))
def test_main_pages_have_no_serious_violation(role, page, world, people, axe):
    if role != "anonymous":
        page.goto("/login")
        page.get_by_label("E-mail").fill(people[role].email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    problems = {}
    for template in PAGES[role]:
        path = template.format_map(world)
        response = page.goto(path)
        assert response.status < 400, path
        page.wait_for_load_state("networkidle")
        found = _severe(axe.run(page))
        if found:
            problems[template] = found
    assert not problems, problems


def test_the_check_catches_a_violation(page, world, axe):
    """The harness sees what it should: an unlabeled field and an empty button are reported."""
    page.goto(f"/rounds/{world['round']}")
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.append(document.createElement("input"), document.createElement("button"));
        }"""
    )
    found = " ".join(_severe(axe.run(page)))
    assert "label" in found and "button-name" in found
