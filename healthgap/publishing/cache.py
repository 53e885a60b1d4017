"""The publication stamp: a token in the shared cache that changes on every publish and
withdraw, on every change of an indicator's definition and after every import of areas,
boundaries, populations or practices. Page caches put it in their keys (``healthgap.web.outcomes``
does), so that nothing cached before such a change is served after it, in any server worker."""

from uuid import uuid4

from django.core.cache import cache

PUBLICATION_STAMP_KEY = "publishing:stamp"


def publication_stamp() -> str:
    """The current token. A missing one (never set, or evicted) is replaced by a new one, so
    an eviction can only make pages be built again, never bring back an old page."""
    cache.add(PUBLICATION_STAMP_KEY, uuid4().hex, timeout=None)
    return cache.get(PUBLICATION_STAMP_KEY) or ""


def bump_publication_stamp() -> None:
    cache.set(PUBLICATION_STAMP_KEY, uuid4().hex, timeout=None)
