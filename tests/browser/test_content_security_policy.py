"""The pages work under the Content-Security-Policy in a real browser: no violation is reported
on the main pages of every role, the scripts run (the editor's live preview, local times), and
an injected inline script is blocked."""

import pytest
from playwright.sync_api import expect

from tests.helpers.clients import PASSWORD

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

PAGES = {
    "anonymous": [
        "/",
        "/processes",
        "/rounds/{round}",
        "/organizations/",
        "/organizations/{org}",
        "/login",
        "/register",
        "/reset",
        "/help/writing",
        "/published/{approved}",
        "/s/{public_token}",
    ],
    "member": [
        "/statements/mine",
        "/statements/{own_draft}",
        "/statements/{own_draft}/edit",
        "/statements/{own_draft}/history",
        "/statements/{own_draft}/diff",
        "/statements/{own_draft}/revisions/1",
        "/statements/{signing}",
        "/statements/{signing}/signatures",
        "/rounds/{round}/statements/new",
        "/rounds/{round}/statements/import",
        "/profile",
    ],
    "signatory": ["/statements/{signing}/sign"],
    "org_admin": ["/organizations/{org}/edit", "/organizations/{org}/members"],
    "coordinator": [
        "/rounds/{round}/signons",
        "/rounds/{round}/signons/import",
        "/rounds/{round}/review",
        "/review/statements/{signing}",
        "/rounds/{round}/compendium",
        "/rounds/{round}/edit",
        "/processes/new",
        "/organizations/verification",
        "/outbox",
    ],
    "admin": ["/admin/users"],
}


def _paths(world, role):
    return [path.format_map(world) for path in PAGES[role]]


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH)
    messages = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page, messages


@pytest.mark.parametrize("role", list(PAGES))
def test_main_pages_raise_no_policy_violation(role, watched, world, people):
    page, messages = watched
    if role != "anonymous":
        page.goto("/login")
        page.get_by_label("E-mail").fill(people[role].email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    problems = []
    for path in _paths(world, role):
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        if response.status >= 400:
            problems.append(f"{path}: {response.status}")
        violations = page.evaluate("window.__csp")
        if violations:
            problems.append(f"{path}: {violations}")
    assert not problems and not messages, (problems, messages)


def test_scripts_still_run_under_the_policy(watched, world, people):
    page, messages = watched
    page.goto("/login")
    page.get_by_label("E-mail").fill(people["member"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/statements/{world['own_draft']}/edit")
    page.get_by_label("Text", exact=True).fill("## Under the policy\n\nStill previewed.")
    expect(page.locator("[data-preview] h2")).to_have_text("Under the policy")
    page.goto(f"/rounds/{world['round']}")
    expect(page.locator(".viewer-time").first).to_be_attached()
    assert not messages and not page.evaluate("window.__csp")


def test_an_injected_inline_script_is_blocked(watched, world):
    page, _messages = watched
    page.goto("/")
    # As if markup had slipped past the sanitizer: the policy, not the sanitizer, stops it.
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__ran = true";
          document.body.append(s);
          const d = document.createElement("div");
          d.setAttribute("style", "color: red");
          document.body.append(d);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__csp"))
