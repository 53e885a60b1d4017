"""The page cache: shared by every worker (file cache by default, Redis when configured), HTML
cached for anonymous visitors only, and its keys renewed by every publish."""

import json
import os
import subprocess
import sys

import pytest
from django.core.cache import cache

from healthgap.constants import Role
from healthgap.ingest.geography import load_regions
from healthgap.publishing import services
from healthgap.web import outcomes
from tests.factories import IndicatorFactory, RegionFactory
from tests.publishing.people import person, programme

COVENTRY = "E08000026"


def _caches(tmp_path, **env) -> dict:
    """The CACHES setting of the served app (dev settings) in a fresh process."""
    code = "import json, healthgap.settings.dev as s; print(json.dumps(s.CACHES['default']))"
    environment = {k: v for k, v in os.environ.items() if k != "HEALTHGAP_CACHE_URL"}
    environment.update(HEALTHGAP_VAR=str(tmp_path), **env)
    run = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True)
    return json.loads(run.stdout)


def test_the_served_app_shares_a_file_cache_under_var(tmp_path):
    found = _caches(tmp_path)
    assert found["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert found["LOCATION"] == str(tmp_path / "cache")


def test_a_cache_url_selects_redis(tmp_path):
    found = _caches(tmp_path, HEALTHGAP_CACHE_URL="redis://127.0.0.1:6379/1")
    assert found == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


@pytest.mark.django_db
def test_publishing_renews_every_outcome_cache_key(django_capture_on_commit_callbacks):
    cache.clear()
    analyst = person("amina", "Amina Khan", Role.ANALYST)
    before = outcomes.cache_key("profile", COVENTRY, {})
    assert outcomes.cache_key("profile", COVENTRY, {}) == before
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(programme(analyst), analyst)
    assert outcomes.cache_key("profile", COVENTRY, {}) != before


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_db")
@pytest.mark.parametrize("url", [f"/areas/{COVENTRY}/premature-mortality", f"/areas/{COVENTRY}"])
def test_html_is_cached_for_anonymous_visitors_only(client, settings, url):
    settings.PAGE_CACHE = True
    cache.clear()
    html_key = outcomes.cache_key(url, "", {}) + ":html"
    client.force_login(person("amina", "Amina Khan", Role.ANALYST))
    assert client.get(url).status_code == 200
    assert cache.get(html_key) is None
    client.logout()
    assert client.get(url).status_code == 200
    assert cache.get(html_key) is not None
    assert client.get(url).content == cache.get(html_key)


@pytest.mark.django_db
def test_changing_an_indicators_disclosure_rule_renews_every_cache_key(
    django_capture_on_commit_callbacks,
):
    cache.clear()
    indicator = IndicatorFactory()
    before = outcomes.cache_key("profile", COVENTRY, {})
    with django_capture_on_commit_callbacks(execute=True):
        indicator.needs_disclosure_control = True
        indicator.save()
    assert outcomes.cache_key("profile", COVENTRY, {}) != before


@pytest.mark.django_db
def test_an_import_of_areas_renews_the_cached_area_pages(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Areas, boundaries and populations write no import record, so the pages' data stamp
    would not see them: their imports renew the cache keys, and the next visitor sees the new
    name at once rather than the cached page for the rest of its ten minutes."""
    settings.PAGE_CACHE = True
    cache.clear()
    RegionFactory()
    url = "/areas/E12000005"
    assert "West Midlands" in client.get(url).content.decode()
    regions = tmp_path / "regions.csv"
    regions.write_text("code,name\nE12000005,West Midlands Combined\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        load_regions(regions)
    assert "West Midlands Combined" in client.get(url).content.decode()
