import pytest


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty page cache (its database changes roll back)."""
    from django.core.cache import cache

    cache.clear()
