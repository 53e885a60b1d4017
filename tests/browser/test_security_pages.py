"""Every page type, public and signed in, in a real browser under the site's Content Security
Policy: the header is sent, the browser reports no violation (no inline script or style, no
eval: charts draw with Vega's interpreter), no console error, and axe-core (WCAG 2.2 A and AA,
the wcag22aa tag asked for explicitly) finds nothing. Then the main journeys with a keyboard
alone: find an area, open its profile, sign in, edit a programme."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from healthgap.accounts.demo import demo_password, demo_static_tokens
from healthgap.constants import Role
from tests.browser.conftest import WCAG_TAGS, axe_violations

pytestmark = pytest.mark.browser

COVENTRY, LEICESTER = "/areas/E08000026", "/areas/E06000016"
# Page types and, for those with charts, a chart that must have drawn.
PUBLIC_PAGES = {
    "home": ("/", None),
    "about the data": ("/about/data", None),
    "accessibility statement": ("/about/accessibility", None),
    "area": (COVENTRY, "#ward-deprivation-map"),
    "profile": (COVENTRY + "/profile", None),
    "compare": (COVENTRY + "/compare?indicator=93721&sex=Persons", ".hg-chart"),
    "trends": (COVENTRY + "/trends?indicator=93721&sex=Persons", ".hg-chart"),
    "map": (COVENTRY + "/map?indicator=SYN-LE-WARD", ".hg-chart"),
    "inequalities": (LEICESTER + "/inequalities", None),
    "premature mortality": (COVENTRY + "/premature-mortality", None),
    "published programmes": ("/programmes/", None),
    "not found": ("/areas/E99999999", None),
    "sign in": ("/account/sign-in", None),
    "forgotten password": ("/account/password/reset", None),
}
PEOPLE = [
    ("csp.analyst", "Asha Analyst", (Role.ANALYST,)),
    ("csp.lead", "Lee Lead", (Role.PROGRAMME_LEAD,)),
    ("csp.admin", "Ada Admin", (Role.ADMINISTRATOR,)),
]
MAKE_PROGRAMME = """
import json
from django.contrib.auth.models import User
from healthgap.delivery.models import Programme
from healthgap.publishing import services
analyst = User.objects.get(username=ANALYST)
item = services.create(Programme(name=NAME, summary="Halve smoking by 2030.",
                                 lead=User.objects.get(username=LEAD)), analyst)
print(json.dumps(item.pk))
"""
# Signed-in page types: who looks, and the path ({programme} is one the lead leads).
SIGNED_IN_PAGES = {
    "workspace": ("csp.lead", "/workspace/"),
    "programmes": ("csp.analyst", "/workspace/programmes/"),
    "programme": ("csp.analyst", "/workspace/programmes/{programme}"),
    "new programme": ("csp.analyst", "/workspace/programmes/new"),
    "edit programme": ("csp.lead", "/workspace/programmes/{programme}/edit"),
    "programme history": ("csp.analyst", "/workspace/programmes/{programme}/history"),
    "forbidden": ("csp.lead", "/workspace/changes/"),
    "change log": ("csp.admin", "/workspace/changes/"),
    "password change": ("csp.analyst", "/account/password"),
    "two-step set-up": ("csp.admin", "/account/two-step/set-up"),
}
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def make_programme(served_shell, name: str, analyst: str, lead: str) -> int:
    return served_shell(f"ANALYST, LEAD, NAME = {analyst!r}, {lead!r}, {name!r}\n{MAKE_PROGRAMME}")


@pytest.fixture(scope="module")
def programme_pk(people, served_shell):
    return make_programme(served_shell, "Smokefree Coventry", "csp.analyst", "csp.lead")


# Browsers ask for /favicon.ico on pages that name no icon (Django's admin): not ours to serve.
UNDECLARED_ICON = "/favicon.ico"
RESOURCE_ERROR = "Failed to load resource"


def check_page(page, url: str, chart: str | None) -> None:
    page.add_init_script(WATCH_CSP)
    failed = []
    page.on("response", lambda r: failed.append(urlsplit(r.url).path) if r.status >= 400 else None)
    response = page.goto(url)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    if chart:
        page.wait_for_selector(f"{chart}[data-rendered=true] svg")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.cspViolations") == []
    # Failed loads are checked by address (a 403 or 404 page itself is expected to fail).
    expected_failures = {urlsplit(url).path, UNDECLARED_ICON}
    assert [path for path in failed if path not in expected_failures] == []
    assert [e for e in page.errors if not e.startswith(RESOURCE_ERROR)] == []
    assert axe_violations(page) == []


def test_axe_is_asked_for_wcag_2_2_aa():
    assert "wcag22aa" in WCAG_TAGS


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_types_keep_the_csp_and_are_accessible(served_app, page, name):
    path, chart = PUBLIC_PAGES[name]
    check_page(page, served_app + path, chart)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_page_types_keep_the_csp_and_are_accessible(
    served_app, people, programme_pk, name
):
    username, path = SIGNED_IN_PAGES[name]
    page = people[username]()
    try:
        check_page(page, served_app + path.format(programme=programme_pk), None)
    finally:
        page.context.close()


def test_administration_keeps_the_csp_after_the_second_factor(served_app, page):
    page.goto(served_app + "/account/sign-in")
    page.get_by_label("User name").fill("coventry.administrator")
    page.get_by_label("Password").fill(demo_password("coventry", Role.ADMINISTRATOR))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code", exact=True).fill(demo_static_tokens("coventry")[2])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/workspace/")
    check_page(page, served_app + "/admin/", None)


FOCUSED_TEXT = """(() => { const e = document.activeElement;
  return (e.innerText || e.getAttribute("aria-label") || "").trim(); })()"""


def tab_to(page, found: str, limit: int = 120) -> None:
    """Presses Tab until ``found`` (a script) is true of the focused element."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(found):
            return
    raise AssertionError(f"nothing satisfying {found!r} can be reached with the Tab key")


def tab_to_link(page, text: str) -> None:
    """Tabs to the link or button whose text starts with ``text`` (some links add hidden words,
    such as "Health profile for Coventry")."""
    tab_to(page, f"{FOCUSED_TEXT}.startsWith({text!r})")


def tab_to_field(page, name: str) -> None:
    tab_to(page, f"document.activeElement.name === {name!r}")


def test_find_an_area_and_open_its_profile_with_the_keyboard_alone(served_app, page):
    page.goto(served_app + "/")
    tab_to_link(page, "Skip to main content")
    tab_to_link(page, "Coventry")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + COVENTRY)
    tab_to_link(page, "Health profile")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + COVENTRY + "/profile")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Health profile")
    assert page.errors == []


def test_sign_in_and_edit_a_programme_with_the_keyboard_alone(served_app, page, served_shell):
    lead = "coventry.programme-lead"
    pk = make_programme(served_shell, "Warm homes", "coventry.analyst", lead)
    page.goto(served_app + "/")
    tab_to_link(page, "Sign in")
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/sign-in")
    tab_to_field(page, "username")
    page.keyboard.type(lead)
    tab_to_field(page, "password")
    page.keyboard.type(demo_password("coventry", Role.PROGRAMME_LEAD))
    page.keyboard.press("Enter")
    page.wait_for_url("**/workspace/")

    page.goto(f"{served_app}/workspace/programmes/{pk}")
    tab_to_link(page, "Edit")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/workspace/programmes/{pk}/edit")
    tab_to_field(page, "summary")
    page.keyboard.press("Control+A")
    page.keyboard.type("Every home warm by 2030.")
    tab_to_link(page, "Save")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/workspace/programmes/{pk}")
    assert "Every home warm by 2030." in page.locator("main").inner_text()
    assert page.errors == []
