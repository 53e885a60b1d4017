"""The fast path for large tables: stream a CSV into a pandas frame, validating vectorised.

``read_frame`` reads a CSV in chunks with pandas' C parser and turns each chunk at once into
typed columns: numbers become float64 (a non-number is a problem naming its row and column),
repeated text becomes categorical to keep memory small. Each row keeps its line number in
``_line`` (the header is line 1). Every problem is collected with file, row and column and raised
together as one :class:`IngestError`.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from healthgap.ingest.errors import IngestError, Problem, ProblemList

CHUNK_ROWS = 200_000
# Problems reported per column and kind before the rest are summarised in one line.
SHOWN_PER_KIND = 20
TEXT, CATEGORY, NUMBER = "text", "category", "number"


class FrameProblems(ProblemList):
    """A ProblemList that takes whole columns of problems at once, keeping the first few."""

    def add_rows(
        self,
        mask: np.ndarray,
        lines: np.ndarray,
        column: str | None,
        message: Callable[[int], str],
    ) -> None:
        """Add a problem for each row where ``mask`` is true; ``message(i)`` describes row i."""
        where = np.flatnonzero(mask)
        for i in where[:SHOWN_PER_KIND]:
            self.add(int(lines[i]), column, message(int(i)))
        if len(where) > SHOWN_PER_KIND:
            self.add(None, column, f"... and {len(where) - SHOWN_PER_KIND} more rows like this")


def check_utf8(path: Path, header: list[str] | None = None) -> None:
    """Raise an IngestError naming line and column at the first byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                raise _encoding_error(path, block, error.start, line) from None
            line += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise IngestError(
                path, [Problem(line, None, "the file ends inside a character")]
            ) from None


def _encoding_error(path: Path, block: bytes, position: int, line: int) -> IngestError:
    line += block.count(b"\n", 0, position)
    start = block.rfind(b"\n", 0, position) + 1
    with open(path, "rb") as handle:
        first = handle.readline().decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")
    header = next(csv.reader([first]), [])
    cells = next(csv.reader([block[start:position].decode("latin-1")]), [""])
    index = max(len(cells) - 1, 0)
    column = header[index].strip() if index < len(header) else None
    message = (
        f"byte 0x{block[position]:02x} is not UTF-8 (is the file Latin-1 or Windows-1252?); "
        "save it as UTF-8 (in Excel: 'CSV UTF-8 (comma delimited)')"
    )
    return IngestError(path, [Problem(line, column, message)])


def is_workbook(path: Path) -> bool:
    return Path(path).suffix.lower() == ".xlsx"


def _read_workbook(path: Path) -> pd.DataFrame:
    try:
        return pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise IngestError(
            path, [Problem(None, None, f"not a readable workbook: {error}")]
        ) from None


def read_header(path: Path) -> list[str]:
    path = Path(path)
    if not path.is_file():
        raise IngestError(path, [Problem(None, None, "file not found")])
    if is_workbook(path):
        return [str(name).strip() for name in _read_workbook(path).columns]
    check_utf8(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise IngestError(path, [Problem(1, None, "the file is empty: expected a header row")])
    return [name.strip() for name in header]


def read_frame(
    path: Path,
    columns: dict[str, str],
    *,
    missing: Iterable[str] = ("",),
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """The file's ``columns`` (name -> TEXT, CATEGORY or NUMBER) as a frame, plus ``_line``.

    ``missing`` are the cell texts meaning "no value" in number columns (e.g. "NA"). Blank lines
    are skipped. Problems: missing columns, rows with too few or too many cells, non-numbers.
    """
    path = Path(path)
    header = read_header(path)
    absent = [name for name in columns if name not in header]
    if absent:
        raise IngestError(
            path,
            [Problem(1, name, "required column is missing from the header") for name in absent],
        )
    problems = FrameProblems(path)
    chunks = []
    if is_workbook(path):
        sheet = _read_workbook(path)
        chunk = sheet.set_axis(header, axis=1)
        chunks.append(_typed_chunk(chunk, header, columns, set(missing), problems))
        problems.raise_if_any()
        return _concat(chunks, columns)
    try:
        reader = pd.read_csv(
            path,
            encoding="utf-8-sig",
            dtype=str,
            keep_default_na=False,
            na_values=[],
            skip_blank_lines=False,
            chunksize=chunk_rows,
            engine="c",
        )
        for chunk in reader:
            chunk.columns = header
            chunks.append(_typed_chunk(chunk, header, columns, set(missing), problems))
            if progress:
                progress(len(chunk))
    except pd.errors.ParserError as error:
        raise IngestError(path, [_parser_problem(str(error))]) from None
    problems.raise_if_any()
    return _concat(chunks, columns)


def _parser_problem(message: str) -> Problem:
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        expected, line, found = (int(x) for x in fields.groups())
        return Problem(line, None, f"expected {expected} cells, found {found}")
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote:
        line = int(quote.group(1)) + 1
        return Problem(line, None, "a quoted cell is never closed: is the file truncated?")
    return Problem(None, None, f"not a readable CSV file: {message}")


def _typed_chunk(
    chunk: pd.DataFrame,
    header: list[str],
    columns: dict[str, str],
    missing: set[str],
    problems: FrameProblems,
) -> pd.DataFrame:
    lines = chunk.index.to_numpy() + 2
    blank = chunk.isna().all(axis=1).to_numpy() | _all_empty(chunk)
    short = chunk.isna().any(axis=1).to_numpy() & ~blank
    if short.any():
        cells = chunk.notna().sum(axis=1).to_numpy()
        problems.add_rows(
            short,
            lines,
            None,
            lambda i: f"expected {len(header)} cells, found {cells[i]}: is the file truncated?",
        )
    keep = ~blank & ~short
    out = pd.DataFrame({"_line": lines[keep]})
    for name, kind in columns.items():
        text = chunk[name].to_numpy()[keep]
        if kind == NUMBER:
            out[name] = _numbers(text, out["_line"].to_numpy(), name, missing, problems)
        elif kind == CATEGORY:
            out[name] = pd.Categorical(np.char.strip(text.astype(str)))
        else:
            out[name] = text
    return out


def _all_empty(chunk: pd.DataFrame) -> np.ndarray:
    if chunk.shape[1] > 1:
        return np.zeros(len(chunk), dtype=bool)
    return (chunk.iloc[:, 0].fillna("").str.strip() == "").to_numpy()


def _numbers(
    text: np.ndarray, lines: np.ndarray, column: str, missing: set[str], problems: FrameProblems
) -> np.ndarray:
    stripped = pd.Series(text, dtype=object).str.strip()
    blank = stripped.isin(missing).to_numpy()
    numbers = pd.to_numeric(stripped.where(~blank), errors="coerce").to_numpy(dtype="float64")
    numbers = numbers.copy()
    bad = ~blank & ~np.isfinite(numbers)
    if bad.any():
        problems.add_rows(bad, lines, column, lambda i: f"{stripped.iat[i]!r} is not a number")
    numbers[bad] = np.nan
    return numbers


def _concat(chunks: list[pd.DataFrame], columns: dict[str, str]) -> pd.DataFrame:
    if not chunks:
        return pd.DataFrame({"_line": np.array([], dtype=int), **{n: [] for n in columns}})
    if len(chunks) == 1:
        return chunks[0]
    data = {"_line": np.concatenate([c["_line"].to_numpy() for c in chunks])}
    for name, kind in columns.items():
        parts = [c[name] for c in chunks]
        if kind == CATEGORY:
            data[name] = union_categoricals([p.array for p in parts])
        else:
            data[name] = np.concatenate([p.to_numpy() for p in parts])
    return pd.DataFrame(data)
