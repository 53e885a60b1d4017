"""Accounts in a real browser against `healthgap serve` with the demo users (HEALTHGAP_DEMO=1):
each role signs in and sees its navigation; wrong passwords, lock-out, two-step verification for
administration, sign-out and form errors; axe-core finds no violations on any account page."""

import re

import pytest
from playwright.sync_api import expect

from healthgap.accounts.demo import demo_password, demo_static_tokens, demo_username
from healthgap.constants import Role
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser
SIGN_IN = "/account/sign-in"
# The navigation each role sees after signing in, in order.
PLAN = ["Delivery plan", "Programmes", "Places and routes"]
WITH_BOARD = ["Workspace", "Outcomes", *PLAN, "Board", "Peer challenge", "Knowledge hub"]
EXPECTED_NAVIGATION = {
    Role.ADMINISTRATOR: [*WITH_BOARD, "Administration"],
    Role.ANALYST: WITH_BOARD,
    Role.PROGRAMME_LEAD: ["Workspace", "Outcomes", *PLAN, "Peer challenge", "Knowledge hub"],
    Role.BOARD_MEMBER: WITH_BOARD,
    Role.BOARD_OFFICER: WITH_BOARD,
    Role.PEER_REVIEWER: ["Workspace", "Outcomes", "Peer challenge"],
}


def _check_clean(page, name: str):
    assert page.errors == []
    assert axe_violations(page) == []
    screenshot(page, name)


def _sign_in(page, base, username, password):
    page.goto(base + SIGN_IN)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _navigation(page) -> list[str]:
    return page.locator("#navigation a.govuk-service-navigation__link").all_inner_texts()


def test_the_public_site_shows_a_sign_in_link_and_no_workspace_navigation(served_app, page):
    page.goto(served_app + "/")
    assert _navigation(page) == ["Sign in"]
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**" + SIGN_IN)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    _check_clean(page, "account-sign-in")


@pytest.mark.parametrize("role", Role.ALL)
def test_each_role_signs_in_and_sees_its_navigation(served_app, page, role):
    city = "leicester"
    _sign_in(page, served_app, demo_username(city, role), demo_password(city, role))
    if role == Role.ADMINISTRATOR:  # demo administrators have backup codes: one is asked for
        page.get_by_label("Code", exact=True).fill(demo_static_tokens(city)[1])
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/workspace/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    assert _navigation(page) == EXPECTED_NAVIGATION[role]
    assert page.get_by_test_id("signed-in-as").inner_text() == f"Leicester {role}"
    # The demo gives some roles work (a peer challenge, board actions, documents); the others
    # are told what to do first.
    sections = page.locator("main h2.govuk-heading-l").all_inner_texts()
    assert sections or page.get_by_test_id("empty-state").is_visible()
    _check_clean(page, f"workspace-{role.lower().replace(' ', '-')}")


def test_a_wrong_password_and_missing_fields_are_reported_in_the_error_summary(served_app, page):
    page.goto(served_app + SIGN_IN)
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_test_id("error-summary")
    assert summary.locator("a").all_inner_texts() == ["Enter your user name", "Enter your password"]
    summary.get_by_role("link", name="Enter your password").click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    _check_clean(page, "account-sign-in-errors")

    _sign_in(page, served_app, "coventry.board-member", "not-the-password")
    assert "The user name or password is not right" in summary.inner_text()
    assert page.get_by_label("User name").input_value() == "coventry.board-member"


def test_five_failures_lock_the_account_and_say_when_to_try_again(served_app, page):
    username = "coventry.peer-reviewer"
    for _ in range(5):
        _sign_in(page, served_app, username, "wrong-password-again")
    message = page.get_by_test_id("error-summary").inner_text()
    assert re.search(r"this account is locked\. Try again after \d\d:\d\d on", message)
    _sign_in(page, served_app, username, demo_password("coventry", Role.PEER_REVIEWER))
    assert "this account is locked" in page.get_by_test_id("error-summary").inner_text()
    # The lock-out page is sent with status 429, which Chromium logs as a console error.
    assert page.errors and all("status of 429" in error for error in page.errors)
    page.errors.clear()
    _check_clean(page, "account-locked-out")


def test_administration_needs_a_second_factor_and_a_backup_code_opens_it(served_app, page):
    _sign_in(
        page, served_app, "coventry.administrator", demo_password("coventry", Role.ADMINISTRATOR)
    )
    # The demo administrator has backup codes: signing in asks for one.
    page.wait_for_url("**/account/two-step/verify**")
    _check_clean(page, "account-two-step-verify")
    # Without the second factor, administration (and every other page) asks for the code.
    page.goto(served_app + "/admin/")
    page.wait_for_url("**/account/two-step/verify?next=%2Fadmin%2F")
    expect(page.get_by_role("heading", name="Enter your verification code")).to_be_visible()

    page.get_by_label("Code", exact=True).fill(demo_static_tokens("coventry")[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_an_administrator_sets_up_an_authenticator_app(served_app, page):
    _sign_in(
        page, served_app, "leicester.administrator", demo_password("leicester", Role.ADMINISTRATOR)
    )
    page.get_by_label("Code", exact=True).fill(demo_static_tokens("leicester")[0])
    page.get_by_role("button", name="Continue").click()
    page.goto(served_app + "/account/two-step/set-up")
    expect(page.locator("[role=img] svg")).to_be_visible()
    assert re.fullmatch(r"[A-Z2-7]{32}", page.get_by_test_id("totp-key").inner_text())
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_test_id("error-summary").inner_text().endswith("Enter the code")
    _check_clean(page, "account-two-step-set-up")


def test_signing_out_and_the_password_pages(served_app, page):
    _sign_in(page, served_app, "coventry.analyst", demo_password("coventry", Role.ANALYST))
    page.wait_for_url("**/workspace/")
    page.get_by_role("link", name="Change your password").click()
    _check_clean(page, "account-password-change")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**" + SIGN_IN)
    assert page.get_by_test_id("message").inner_text() == "You have signed out."
    assert _navigation(page) == ["Sign in"]
    page.goto(served_app + "/workspace/")
    page.wait_for_url("**" + SIGN_IN + "?next=/workspace/")

    page.get_by_role("link", name="I have forgotten my password").click()
    page.get_by_label("Email").fill("coventry.analyst@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/account/password/reset/sent")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    _check_clean(page, "account-password-reset-sent")
