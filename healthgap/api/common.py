"""What every part of the v1 API shares: the paging and format query, the error responses and
downloads its OpenAPI description declares, and the answer in the format asked for."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Schema

from healthgap.api import schemas
from healthgap.api.envelope import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    page_body,
    table_download,
    with_open_data_headers,
)

Format = Literal["json", "csv", "xlsx"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS = {400: schemas.Error, 404: schemas.Error, 422: schemas.Error, 429: schemas.Error}
# Lists are also CSV and XLSX files (format=csv, format=xlsx): say so in the description.
DOWNLOADS = {
    "responses": {
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    }
}
# Database ids in paths: positive and within a 32-bit integer column.
MAX_ID = 2**31 - 1


class Paging(Schema):
    page: int = Query(1, ge=1, le=1_000_000)
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    format: Format = "json"


def answer(request, name: str, title: str, rows: list[dict], total: int, paging: Paging):
    """One page of ``rows`` as JSON, or the rows as a CSV or XLSX download."""
    if paging.format != "json":
        return with_open_data_headers(request, table_download(name, title, rows, paging.format))
    return page_body(request, rows, total, paging.page, paging.page_size)
