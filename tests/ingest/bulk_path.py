"""Shared by the bulk-load tests: every import sent down the bulk path, with a record of the
tables a step of it ran on, and the stored values to compare before and after."""

from healthgap.indicators.models import IndicatorValue
from healthgap.ingest import bulk, values


def every_import_bulk(monkeypatch, step: str) -> list[str]:
    """Every import takes the bulk path (whatever the table's size); returns the tables that
    ``bulk.<step>`` ran on."""
    monkeypatch.setattr(values, "BULK_LOAD_ROWS", 1)
    # However many values are stored (once PostgreSQL's autovacuum has counted them).
    monkeypatch.setattr(bulk, "estimated_rows", lambda table: 0)
    used = []
    real = getattr(bulk, step)

    def spy(table):
        used.append(table)
        return real(table)

    monkeypatch.setattr(bulk, step, spy)
    return used


def stored_values():
    rows = IndicatorValue.objects.order_by("id")
    return list(rows.values_list("id", "indicator", "area", "period", "value", "import_record"))
