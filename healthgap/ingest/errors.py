"""One error shape for every importer: the file, the row and the column of each problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Enough to show a pattern without flooding a terminal; the count says how many there were.
MAX_REPORTED_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """What is wrong at one place in a file. ``row`` is the line number (the header is line 1)."""

    row: int | None
    column: str | None
    message: str

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class IngestError(Exception):
    """A file could not be loaded. Nothing from it was written to the database."""

    def __init__(self, file: str | Path, problems: list[Problem]):
        self.file = str(file)
        self.problems = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{self.file}: {count} {noun}; nothing was loaded."]
        lines += [f"  {p.describe()}" for p in self.problems[:MAX_REPORTED_PROBLEMS]]
        if count > MAX_REPORTED_PROBLEMS:
            lines.append(f"  ... and {count - MAX_REPORTED_PROBLEMS} more")
        return "\n".join(lines)


class ProblemList:
    """Collects problems while a whole file is validated, then raises them together."""

    def __init__(self, file: str | Path):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(row, column, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise IngestError(self.file, self.problems)
