"""Security headers on every response, no inline code in any template (the Content Security
Policy would block it), the production HTTPS settings, and the accessibility statement."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import healthgap

pytestmark = pytest.mark.django_db
TEMPLATES = sorted(Path(healthgap.__file__).parent.glob("**/templates/**/*.html"))
# An inline script: a <script> element without src= (JSON data blocks are never run).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


def test_every_response_carries_the_csp_and_the_other_security_headers(client):
    for path in ("/about/accessibility", "/areas/E99999999", "/account/sign-in"):
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_scripts_styles_or_event_handlers():
    assert TEMPLATES, "no templates found"
    offenders = [
        f"{path.name}: {match.group(0)}"
        for path in TEMPLATES
        for pattern in (INLINE_SCRIPT, INLINE_STYLE)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_inline_checks_catch_what_they_are_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">')
    assert not INLINE_SCRIPT.search('<script src="/static/a.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="s" type="application/json">{}</script>')
    assert INLINE_STYLE.search('<p style="color: red">')
    assert INLINE_STYLE.search('<a onclick="go()">')


SHOW_PRODUCTION = """
import json
from django.conf import settings
names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
         "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "ALLOWED_HOSTS", "DEBUG"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def production_settings(tmp_path, **environment) -> subprocess.CompletedProcess:
    """The production settings as a deployment with ``environment`` would load them (a value
    of None leaves that variable out)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthgap.settings.production",
        "HEALTHGAP_SECRET_KEY": "a-secret-of-the-deployment's-own-for-this-test",
        "HEALTHGAP_ALLOWED_HOSTS": "health.example.org,www.health.example.org",
        "HEALTHGAP_VAR": str(tmp_path),
        **environment,
    }
    env = {name: value for name, value in env.items() if value is not None}
    code = f"import django; django.setup()\n{SHOW_PRODUCTION}"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_production_is_https_only_with_hsts_and_secure_cookies(tmp_path):
    done = production_settings(tmp_path)
    assert done.returncode == 0, done.stderr
    settings = json.loads(done.stdout)
    assert settings == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "ALLOWED_HOSTS": ["health.example.org", "www.health.example.org"],
        "DEBUG": False,
    }


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"HEALTHGAP_SECRET_KEY": None}, "HEALTHGAP_SECRET_KEY must be set"),
        ({"HEALTHGAP_SECRET_KEY": ""}, "HEALTHGAP_SECRET_KEY must be set"),
        ({"HEALTHGAP_ALLOWED_HOSTS": None}, "HEALTHGAP_ALLOWED_HOSTS must list"),
        ({"HEALTHGAP_ALLOWED_HOSTS": ","}, "HEALTHGAP_ALLOWED_HOSTS must list"),
    ],
)
def test_production_refuses_to_start_without_a_secret_key_or_allowed_hosts(
    tmp_path, environment, message
):
    done = production_settings(tmp_path, **environment)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and message in done.stderr


# The sections of the model accessibility statement for UK public-sector websites (GOV.UK,
# "Sample accessibility statement", under the Public Sector Bodies Accessibility Regulations).
STATEMENT_SECTIONS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def test_the_accessibility_statement_is_linked_from_every_footer_in_the_public_sector_form(
    client, settings
):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@council.example"
    footer = client.get("/about/data").content.decode()
    assert 'href="/about/accessibility">Accessibility statement</a>' in footer
    page = client.get("/about/accessibility").content.decode().replace("&#x27;", "'")
    for heading in STATEMENT_SECTIONS:
        assert f">{heading}</h" in page, heading
    assert "mailto:access@council.example" in page
    assert "Web Content Accessibility Guidelines version 2.2" in page


POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.I | re.S)


def test_every_post_form_carries_a_csrf_token():
    forms = [
        (path.name, body)
        for path in TEMPLATES
        for body in POST_FORM.findall(path.read_text(encoding="utf-8"))
    ]
    assert forms, "no forms found"
    assert [name for name, body in forms if "{% csrf_token %}" not in body] == []
