"""Reading delimited text files with line numbers, and parsing their cells with clear errors."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from healthgap.ingest.errors import IngestError, Problem, ProblemList


@dataclass
class Row:
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a byte-order mark is dropped); anything else names the line."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise IngestError(
            path,
            [
                Problem(
                    line,
                    None,
                    f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as UTF-8 "
                    "(in Excel: 'CSV UTF-8 (comma delimited)')",
                )
            ],
        ) from None


def read_csv(path: Path, required: Sequence[str]) -> tuple[list[str], list[Row]]:
    """Header and rows of a CSV file, checking the required columns are all there."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(path, [Problem(None, None, "file not found")])
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    header = next(reader, None)
    if not header:
        raise IngestError(path, [Problem(1, None, "the file is empty: expected a header row")])
    header = [name.strip() for name in header]
    missing = [name for name in required if name not in header]
    if missing:
        raise IngestError(
            path,
            [Problem(1, name, "required column is missing from the header") for name in missing],
        )
    rows = []
    problems = ProblemList(path)
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.add(line, None, f"expected {len(header)} cells, found {len(cells)}")
            continue
        rows.append(Row(line, dict(zip(header, cells, strict=True))))
    problems.raise_if_any()
    return header, rows


def parse_number(
    text: str,
    row: int,
    column: str,
    problems: ProblemList,
    *,
    integer: bool = False,
    blank_ok: bool = False,
    minimum: float | None = None,
) -> float | int | None:
    """A cell as a number ("29,199" allowed), or None after recording why it is not one."""
    cleaned = text.strip().replace(",", "")
    if cleaned == "":
        if not blank_ok:
            problems.add(row, column, "a number is required but the cell is empty")
        return None
    try:
        number = float(cleaned)
    except ValueError:
        problems.add(row, column, f"{text.strip()!r} is not a number")
        return None
    if not math.isfinite(number):
        problems.add(row, column, f"{text.strip()!r} is not a finite number")
        return None
    if integer:
        if not number.is_integer():
            problems.add(row, column, f"{text.strip()!r} is not a whole number")
            return None
        number = int(number)
    if minimum is not None and number < minimum:
        problems.add(row, column, f"{text.strip()} is below the minimum of {minimum:g}")
        return None
    return number


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
