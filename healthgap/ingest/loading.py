"""Writing validated rows: chunked upserts inside the caller's transaction, with progress."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models, transaction
from tqdm import tqdm

from healthgap.ingest.tables import chunks
from healthgap.publishing.cache import bump_publication_stamp

CHUNK_SIZE = 2000


def upsert(
    model: type[models.Model],
    objects: Sequence[models.Model],
    unique_fields: Sequence[str],
    update_fields: Sequence[str],
    description: str,
) -> int:
    """Insert, or update where the unique key exists already, so that loading twice changes nothing.

    Call inside ``transaction.atomic()``: a failure part-way leaves the database as it was.
    Once it commits, the public pages cached before are no longer served (areas, boundaries,
    populations and practices write no import record, so the pages' data stamp would not see
    them change).
    """
    with tqdm(total=len(objects), desc=description, unit="rows", disable=None, leave=False) as bar:
        for chunk in chunks(objects, CHUNK_SIZE):
            model.objects.bulk_create(
                chunk,
                update_conflicts=True,
                unique_fields=unique_fields,
                update_fields=update_fields,
            )
            bar.update(len(chunk))
    # After the writes: outside a transaction on_commit runs at once.
    transaction.on_commit(bump_publication_stamp)
    return len(objects)
