import pytest


@pytest.fixture(autouse=True)
def fresh_cache_and_lockouts():
    """Each test starts with an empty cache (axes and the page cache keep state there)."""
    from django.core.cache import cache

    cache.clear()
