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
LAYOUT_BLOCK = 1 << 24  # bytes read at a time when finding records
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
            _check_nul(path, block, line)
            line += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise IngestError(
                path, [Problem(line, None, "the file ends inside a character")]
            ) from None


def _encoding_error(path: Path, block: bytes, position: int, line: int) -> IngestError:
    line += block.count(b"\n", 0, position)
    column = _column_at(path, block, position)
    message = (
        f"byte 0x{block[position]:02x} is not UTF-8 (is the file Latin-1, Windows-1252 or "
        "UTF-16?); save it as UTF-8 (in Excel: 'CSV UTF-8 (comma delimited)')"
    )
    return IngestError(path, [Problem(line, column, message)])


def _column_at(path: Path, block: bytes, position: int) -> str | None:
    """The header name of the cell holding byte ``position`` (best effort, None if unclear)."""
    start = block.rfind(b"\n", 0, position) + 1
    try:
        with open(path, "rb") as handle:
            first = handle.readline().decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")
        header = next(csv.reader([first.strip("\r\n")]), [])
        cells = next(csv.reader([block[start:position].decode("latin-1").strip("\r")]), [""])
    except csv.Error:
        return None
    if position == start:
        return header[0].strip() if header else None
    index = len(cells) - 1
    return header[index].strip() if index < len(header) else None


def _check_nul(path: Path, block: bytes, line: int) -> None:
    position = block.find(b"\x00")
    if position >= 0:
        line += block.count(b"\n", 0, position)
        message = "a NUL byte: this is not a text CSV file (UTF-16 or binary?); save it as UTF-8"
        raise IngestError(path, [Problem(line, _column_at(path, block, position), message)])


def is_workbook(path: Path) -> bool:
    return Path(path).suffix.lower() == ".xlsx"


def _read_workbook(path: Path) -> pd.DataFrame:
    try:
        return pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise IngestError(
            path, [Problem(None, None, f"not a readable workbook: {error}")]
        ) from None


def record_layout(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """For each CSV record after the header: how many cells it has and the line it starts on.

    Quote-aware (a comma or line break inside quotes does not count; an open quote at the end
    gives the last record -1 cells) and vectorised over the raw bytes in blocks, so short rows
    and multi-line cells are found without a Python loop over rows.
    """
    fields, lines = [], []
    inside, commas_before, newlines_before, start_line = 0, 0, 0, 1
    last = b""
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(LAYOUT_BLOCK), b""):
            b = np.frombuffer(block, dtype=np.uint8)
            newlines = np.flatnonzero(b == 10)
            commas = np.flatnonzero(b == 44)
            if inside or block.find(b'"') >= 0:
                parity = (np.cumsum(b == 34, dtype=np.int32) + inside) & 1
                commas = commas[parity[commas] == 0]
                ends = newlines[parity[newlines] == 0]
                inside = int(parity[-1])
            else:
                ends = newlines
            total = np.searchsorted(commas, ends) + commas_before
            if len(ends):
                fields.append(np.diff(np.concatenate([[0], total])) + 1)
                starts = newlines_before + np.searchsorted(newlines, ends) + 2
                lines.append(np.concatenate([[start_line], starts[:-1]]))
                start_line = int(starts[-1])
                commas_before = len(commas) - int(np.searchsorted(commas, ends[-1]))
            else:
                commas_before += len(commas)
            newlines_before += len(newlines)
            last = block[-1:]
    if last != b"\n":
        fields.append(np.array([-1 if inside else commas_before + 1]))
        lines.append(np.array([start_line]))
    fields = np.concatenate(fields) if fields else np.zeros(0, dtype=np.int64)
    lines = np.concatenate(lines) if lines else np.zeros(0, dtype=np.int64)
    return fields[1:], lines[1:]


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
    problems: FrameProblems | None = None,
    header: list[str] | None = None,
) -> pd.DataFrame:
    """The file's ``columns`` (name -> TEXT, CATEGORY or NUMBER) as a frame, plus ``_line``.

    ``missing`` are the cell texts meaning "no value" in number columns (e.g. "NA"). Blank lines
    are skipped. Problems: missing columns, rows with too few or too many cells (raised at
    once), non-numbers (raised at the end, or left in ``problems`` when it is given, so that
    the caller reports them with its own checks). ``header``: the file's :func:`read_header`, if
    the caller has it already (reading it checks the whole file's encoding).
    """
    path = Path(path)
    header = read_header(path) if header is None else header
    absent = [name for name in columns if name not in header]
    if absent:
        raise IngestError(
            path,
            [Problem(1, name, "required column is missing from the header") for name in absent],
        )
    deferred = problems is not None
    problems = problems if deferred else FrameProblems(path)
    chunks = []
    if is_workbook(path):
        sheet = _read_workbook(path).set_axis(header, axis=1)
        layout = (np.full(len(sheet), len(header)), np.arange(len(sheet)) + 2)
        chunks.append(_typed_chunk(sheet, layout, columns, set(missing), problems))
        if not deferred:
            problems.raise_if_any()
        return _concat(chunks, columns)
    layout = record_layout(path)
    _check_cells(layout, len(header), FrameProblems(path))
    if not len(layout[0]):  # a header and nothing else
        raise IngestError(
            path, [Problem(2, None, "the file has no rows of data: is it truncated?")]
        )
    read = (path, header, columns, missing, layout, problems)
    try:
        chunks = _read_chunks(*read, progress, chunk_rows)
    except _NotPlainNumbers:  # read again with every number as text, for exact messages
        chunks = _read_chunks(*read, None, chunk_rows, fast=False)
    if not deferred:
        problems.raise_if_any()
    if sum(len(chunk) for chunk in chunks) == 0:
        raise IngestError(
            path, [Problem(2, None, "the file has no rows of data: is it truncated?")]
        )
    return _concat(chunks, columns)


class _NotPlainNumbers(Exception):
    """A number column holds text the C parser cannot turn into a finite float by itself."""


def _mentions_booleans(path: Path) -> bool:
    """Whether "true" or "false", in any case, appears anywhere: pandas' C parser reads them as 1
    and 0 in a float column. Lowercasing a block and two substring searches run at memory speed,
    where a case-insensitive regex over a large file cost seconds."""
    with open(path, "rb") as handle:
        tail = b""
        for block in iter(lambda: handle.read(LAYOUT_BLOCK), b""):
            window = (tail + block).lower()
            if b"true" in window or b"false" in window:
                return True
            tail = block[-4:]
    return False


def _read_chunks(path, header, columns, missing, layout, problems, progress, rows, fast=True):
    """The file's chunks, typed. Only the columns asked for are parsed; categories are built by
    the C parser; with ``fast`` numbers too (no number held as text), raising _NotPlainNumbers
    at the first cell that needs the slower text path's checks and messages."""
    positions = {name: header.index(name) for name in columns}
    dtype, na_values = {}, {}
    for name, kind in columns.items():
        position = positions[name]
        if kind == CATEGORY:
            dtype[position] = "category"
        elif kind == NUMBER and fast:
            dtype[position] = "float64"
            na_values[position] = list(missing)
        else:
            dtype[position] = str
    chunks = []
    try:
        reader = pd.read_csv(
            path,
            encoding="utf-8-sig",
            header=0,
            names=range(len(header)),
            usecols=sorted(set(positions.values())),
            dtype=dtype,
            keep_default_na=False,
            na_values=na_values,
            skip_blank_lines=False,
            chunksize=rows,
            engine="c",
        )
        for chunk in reader:
            chunk = chunk.rename(columns={p: n for n, p in positions.items()})
            chunks.append(_typed_chunk(chunk, layout, columns, set(missing), problems))
            if progress:
                progress(len(chunk))
    except (ValueError, OverflowError) as error:
        if fast and not isinstance(error, pd.errors.ParserError):
            raise _NotPlainNumbers from None
        if isinstance(error, pd.errors.ParserError):
            raise IngestError(path, [_parser_problem(str(error))]) from None
        raise
    # A boolean cell reads as 1 or 0: only a number column holding a 1 or a 0 may hide one, so
    # the whole file is searched for "true" and "false" only then.
    if fast and _holds_zero_or_one(chunks, columns) and _mentions_booleans(path):
        raise _NotPlainNumbers
    return chunks


def _holds_zero_or_one(chunks: list[pd.DataFrame], columns: dict[str, str]) -> bool:
    numbers = [name for name, kind in columns.items() if kind == NUMBER]
    for chunk in chunks:
        for name in numbers:
            values = chunk[name].to_numpy()
            if ((values == 0) | (values == 1)).any():
                return True
    return False


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


def _check_cells(layout, expected: int, problems: FrameProblems) -> None:
    """Rows with too few or too many cells (a blank line, one empty cell, is passed over)."""
    fields, lines = layout
    ragged = (fields != expected) & (fields != 1) if expected > 1 else fields != expected
    problems.add_rows(ragged, lines, None, lambda i: _cells_message(fields[i], expected))
    problems.raise_if_any()


def _cells_message(found: int, expected: int) -> str:
    if found < 0:
        return "a quoted cell is never closed: is the file truncated?"
    message = f"expected {expected} cells, found {found}"
    return message + (": is the file truncated?" if found < expected else "")


def _typed_chunk(
    chunk: pd.DataFrame,
    layout: tuple[np.ndarray, np.ndarray],
    columns: dict[str, str],
    missing: set[str],
    problems: FrameProblems,
) -> pd.DataFrame:
    fields, all_lines = layout
    position = chunk.index.to_numpy()
    if len(position) and position[-1] >= len(fields):
        raise IngestError(
            problems.file,
            [Problem(None, None, "rows could not be read reliably: stray carriage returns?")],
        )
    lines = all_lines[position]
    keep = fields[position] > 1 if chunk.shape[1] > 1 else _not_empty(chunk)
    out = pd.DataFrame({"_line": lines[keep]})
    for name, kind in columns.items():
        column = chunk[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            text = column.array[keep]
        else:
            text = column.to_numpy()[keep]
        if kind == NUMBER and text.dtype.kind == "f":
            if np.isinf(text).any():
                raise _NotPlainNumbers
            out[name] = text
        elif kind == NUMBER:
            out[name] = _numbers(text, out["_line"].to_numpy(), name, missing, problems)
        elif kind == CATEGORY:
            out[name] = _stripped_categories(text)
        else:
            out[name] = text
    return out


def _stripped_categories(text) -> pd.Categorical:
    """Text as a categorical with surrounding spaces removed (worked on distinct values)."""
    raw = text.remove_unused_categories() if isinstance(text, pd.Categorical) else None
    raw = pd.Categorical(text) if raw is None else raw
    stripped = raw.categories.astype(str).str.strip()
    if stripped.is_unique:
        return raw.rename_categories(stripped)
    return pd.Categorical(np.asarray(stripped, dtype=object)[raw.codes])


def _not_empty(chunk: pd.DataFrame) -> np.ndarray:
    return (chunk.iloc[:, 0].fillna("").str.strip() != "").to_numpy()


def _numbers(
    text: np.ndarray, lines: np.ndarray, column: str, missing: set[str], problems: FrameProblems
) -> np.ndarray:
    """Cells as float64 (NaN where missing); anything else not a finite number is a problem."""
    series = pd.Series(text, dtype=object)
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", copy=True)
    unparsed = np.flatnonzero(~np.isfinite(numbers))
    if len(unparsed):
        cells = series.iloc[unparsed].astype(str).str.strip().to_numpy()
        bad = ~np.isin(cells, list(missing))
        numbers[unparsed] = np.nan
        problems.add_rows(bad, lines[unparsed], column, lambda i: f"{cells[i]!r} is not a number")
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
