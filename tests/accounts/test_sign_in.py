"""Sign-in security through the real views: wrong passwords, lock-out, idle sessions, two-step
verification for administrators, forms with errors, and the 403 page."""

import logging
import re
import time

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from healthgap.accounts.middleware import LAST_SEEN_KEY
from healthgap.constants import SECURITY_LOGGER, Role
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SIGN_IN = "/account/sign-in"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


def error_summary_links(response) -> list[tuple[str, str]]:
    """(href, text) of each link in the GOV.UK error summary."""
    html = response.content.decode()
    summary = html.split('data-testid="error-summary"', 1)[1].split("</ul>", 1)[0]
    return [(href, text.strip()) for href, text in re.findall(r'href="([^"]+)">([^<]+)<', summary)]


def test_signing_in_goes_to_the_workspace_with_the_roles_navigation(client):
    UserFactory(username="ana", roles=[Role.ANALYST])
    response = sign_in(client, "ana")
    assert response.status_code == 302 and response.url == "/workspace/"
    page = client.get("/workspace/").content.decode()
    assert "My work" in page
    assert 'href="/workspace/"' in page and ">Outcomes<" in page
    assert "Administration" not in page
    assert "Open your board&#x27;s outcomes" in page  # the empty state says what to do first


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back_afterwards(client):
    UserFactory(username="ana", roles=[Role.ANALYST])
    response = client.get("/workspace/")
    assert response.url == f"{SIGN_IN}?next=/workspace/"
    response = sign_in(client, "ana", next="/areas/E08000026")
    assert response.url == "/areas/E08000026"


def test_a_wrong_password_says_so_and_keeps_the_user_name(client, caplog):
    UserFactory(username="ana")
    with caplog.at_level(logging.WARNING, logger="healthgap.security"):
        response = sign_in(client, "ana", "not-my-password")
    assert response.status_code == 200
    assert error_summary_links(response) == [
        ("#id_username", "The user name or password is not right. Check them and try again "
         "(both are case-sensitive).")
    ]  # fmt: skip
    assert 'value="ana"' in response.content.decode()
    assert "failed sign-in for 'ana'" in caplog.text


def test_missing_fields_are_each_linked_from_the_error_summary(client):
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    assert error_summary_links(response) == [
        ("#id_username", "Enter your user name"),
        ("#id_password", "Enter your password"),
    ]
    assert response.content.decode().count("govuk-input--error") == 2
    assert "<title>Error: Sign in" in response.content.decode()


def test_five_failures_lock_the_account_and_say_when_to_try_again(client, settings, caplog):
    UserFactory(username="ana")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "ana", "wrong-password").status_code == 200
    with caplog.at_level(logging.WARNING, logger="healthgap.security"):
        locked = sign_in(client, "ana", "wrong-password")
    assert locked.status_code == 429
    [(target, message)] = error_summary_links(locked)
    assert target == "#id_username"
    assert re.fullmatch(
        r"Too many failed attempts to sign in: this account is locked\. "
        r"Try again after \d\d:\d\d on \d{1,2} \w+ \d{4}\.",
        message,
    )
    assert "locked out" in caplog.text
    # Even the right password is refused until the cool-off ends.
    assert sign_in(client, "ana").status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_idle_session_ends_with_a_message_and_returns_to_the_page(client, settings):
    user = UserFactory(username="ana", roles=[Role.ANALYST])
    client.force_login(user)
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - (settings.SESSION_IDLE_MINUTES * 60 + 5)
    session.save()
    response = client.get("/workspace/")
    assert response.url == f"{SIGN_IN}?next=/workspace/"
    page = client.get(response.url).content.decode()
    assert "Your session ended after 60 minutes without activity" in page
    assert "_auth_user_id" not in client.session


def test_an_active_session_carries_on(client):
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    assert client.get("/workspace/").status_code == 200
    assert client.get("/workspace/").status_code == 200


def test_an_administrator_without_a_second_factor_cannot_reach_administration(client):
    admin = UserFactory(username="root", roles=[Role.ADMINISTRATOR])
    sign_in(client, "root")
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/account/two-step/required"
    assert response.status_code == 403
    assert "Administration needs two-step verification" in response.content.decode()
    assert 'href="/account/two-step/set-up"' in response.content.decode()
    assert "Set up two-step verification" in client.get("/workspace/").content.decode()
    assert admin.is_staff


def test_an_administrator_with_a_backup_code_reaches_administration(client):
    admin = UserFactory(username="root", roles=[Role.ADMINISTRATOR])
    device = StaticDevice.objects.create(user=admin, name="backup")
    device.token_set.create(token="abc-123")
    response = sign_in(client, "root", next="/admin/")
    assert response.url == "/account/two-step/verify?next=%2Fadmin%2F"
    assert client.get("/admin/").status_code == 302  # not yet verified
    response = client.post("/account/two-step/verify", {"code": "abc-123", "next": "/admin/"})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert not device.token_set.exists()  # a backup code works once


def test_setting_up_an_authenticator_app_then_signing_in_with_its_code(client):
    user = UserFactory(username="ana", roles=[Role.ANALYST])
    client.force_login(user)
    page = client.get("/account/two-step/set-up").content.decode()
    assert "<svg" in page and 'data-testid="totp-key"' in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/two-step/set-up", {"code": f"{totp(device.bin_key):06d}"})
    assert response.url == "/workspace/"
    device.refresh_from_db()
    assert device.confirmed

    client.logout()
    response = sign_in(client, "ana")
    assert response.url.startswith("/account/two-step/verify")


def test_a_page_the_role_does_not_allow_gives_the_sites_403_page(client):
    client.force_login(UserFactory(roles=[Role.PEER_REVIEWER]))
    response = client.get("/account/two-step/required")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role does not allow you to open this page" in page
    assert 'class="govuk-header' in page
    assert client.get("/admin/", follow=True).status_code == 403


def test_signing_out_needs_a_post_and_says_it_is_done(client):
    client.force_login(UserFactory())
    response = client.post("/account/sign-out", follow=True)
    assert "You have signed out." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/workspace/").status_code == 302


def test_signing_in_and_out_are_written_to_the_security_log(client, caplog):
    UserFactory(username="ana")
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        client.post(SIGN_IN, {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7")
        client.post("/account/sign-out")
    assert "ana signed in from 192.0.2.7" in caplog.text
    assert "ana signed out" in caplog.text


def test_password_change_reports_a_wrong_old_password_and_a_weak_new_one(client):
    user = UserFactory(username="ana")
    client.force_login(user)
    response = client.post(
        "/account/password",
        {"old_password": "nope", "new_password1": "short", "new_password2": "short"},
    )
    targets = [target for target, _ in error_summary_links(response)]
    assert targets[0] == "#id_old_password" and "#id_new_password2" in targets
    new = "a-much-better-passphrase-7"
    response = client.post(
        "/account/password",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.url == "/account/password/changed"
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_by_email_link(client):
    user = UserFactory(username="ana", email="ana@example.org")
    response = client.post("/account/password/reset", {"email": "ana@example.org"})
    assert response.url == "/account/password/reset/sent"
    [message] = mail.outbox
    link = re.search(r"http://testserver(/account/password/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    new = "a-much-better-passphrase-7"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.url == "/account/password/reset/done"
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_user_with_a_device_reaches_no_page_before_entering_a_code(client):
    user = UserFactory(username="ana", roles=[Role.ANALYST])
    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="abc-123")
    sign_in(client, "ana")
    response = client.get("/workspace/")
    assert response.url == "/account/two-step/verify?next=%2Fworkspace%2F"
    assert client.get("/areas/E08000026").status_code == 302
    client.post("/account/two-step/verify", {"code": "abc-123"})
    assert client.get("/workspace/").status_code == 200


def test_a_wrong_code_is_reported_and_leaves_the_user_unverified(client):
    user = UserFactory(username="ana", roles=[Role.ANALYST])
    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="abc-123")
    sign_in(client, "ana")
    wrong = client.post("/account/two-step/verify", {"code": "000000"})
    assert error_summary_links(wrong) == [
        ("#id_code", "That code is not right or has expired. Enter the code the app shows now.")
    ]
    assert client.get("/workspace/").status_code == 302


def test_a_form_sent_after_its_page_expired_gets_a_clear_403_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGN_IN, {"username": "ana", "password": PASSWORD})
    assert response.status_code == 403
    assert "This form has expired, so nothing was sent" in response.content.decode()
