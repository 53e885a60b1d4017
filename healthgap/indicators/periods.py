"""Time periods as Fingertips labels them, with a sortable start and end date.

Accepted labels (spaces around the dash optional; the stored label uses Fingertips' spacing):
``2015`` (calendar year), ``2015 - 17`` (calendar years), ``2017/18`` (financial year, April to
March), ``2013/14 - 15/16`` (financial years), ``2021/22 Q1`` (financial quarter) and
``2021/22 Q1 - 2022/23 Q4`` (a run of quarters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

YEAR = r"(?P<{0}>\d{{4}})"
FINANCIAL = r"(?P<{0}>\d{{4}})/(?P<{0}_end>\d{{2}})"
QUARTER = FINANCIAL + r" ?Q(?P<{0}_q>[1-4])"

PATTERNS = [
    ("calendar", re.compile(rf"^{YEAR.format('a')}$")),
    ("calendar_run", re.compile(rf"^{YEAR.format('a')} ?- ?(?P<b>\d{{2}}|\d{{4}})$")),
    ("financial", re.compile(rf"^{FINANCIAL.format('a')}$")),
    (
        "financial_run",
        re.compile(rf"^{FINANCIAL.format('a')} ?- ?(?P<b_end_short>\d{{2}})/(?P<b>\d{{2}})$"),
    ),
    ("quarter", re.compile(rf"^{QUARTER.format('a')}$")),
    ("quarter_run", re.compile(rf"^{QUARTER.format('a')} ?- ?{QUARTER.format('b')}$")),
]


@dataclass(frozen=True)
class ParsedPeriod:
    label: str
    start: date
    end: date

    @property
    def is_single_year(self) -> bool:
        return (self.end - self.start).days < 367 and (self.end - self.start).days > 300


def _century(start_year: int, short: str) -> int:
    year = int(short)
    if year >= 100:
        return year
    full = start_year // 100 * 100 + year
    return full + 100 if full < start_year else full


def _quarter_start(financial_year: int, quarter: int) -> date:
    month = 4 + 3 * (quarter - 1)
    return date(financial_year + (month > 12), (month - 1) % 12 + 1, 1)


def _quarter_end(financial_year: int, quarter: int) -> date:
    start = _quarter_start(financial_year, quarter)
    following = date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_period(text: str) -> ParsedPeriod:
    """The period a label means; ValueError says what labels are understood."""
    label = " ".join(str(text).split())
    for kind, pattern in PATTERNS:
        match = pattern.match(label)
        if match:
            return _build(kind, match.groupdict())
    raise ValueError(
        f"{text!r} is not a period: expected e.g. '2015', '2015 - 17', '2017/18', "
        "'2013/14 - 15/16' or '2021/22 Q1'"
    )


def _build(kind: str, g: dict[str, str]) -> ParsedPeriod:
    a = int(g["a"])
    if kind == "calendar":
        return ParsedPeriod(str(a), date(a, 1, 1), date(a, 12, 31))
    if kind == "calendar_run":
        b = _century(a, g["b"])
        _check_order(a, b)
        return ParsedPeriod(f"{a} - {b % 100:02d}", date(a, 1, 1), date(b, 12, 31))
    _check_next_year(a, g["a_end"])
    if kind == "financial":
        return ParsedPeriod(f"{a}/{g['a_end']}", date(a, 4, 1), date(a + 1, 3, 31))
    if kind == "financial_run":
        b = _century(a, g["b_end_short"])
        _check_order(a, b)
        _check_next_year(b, g["b"])
        label = f"{a}/{g['a_end']} - {g['b_end_short']}/{g['b']}"
        return ParsedPeriod(label, date(a, 4, 1), date(b + 1, 3, 31))
    qa = int(g["a_q"])
    if kind == "quarter":
        return ParsedPeriod(f"{a}/{g['a_end']} Q{qa}", _quarter_start(a, qa), _quarter_end(a, qa))
    b, qb = int(g["b"]), int(g["b_q"])
    _check_next_year(b, g["b_end"])
    _check_order(a * 4 + qa, b * 4 + qb)
    label = f"{a}/{g['a_end']} Q{qa} - {b}/{g['b_end']} Q{qb}"
    return ParsedPeriod(label, _quarter_start(a, qa), _quarter_end(b, qb))


def _check_order(first: int, last: int) -> None:
    if last < first:
        raise ValueError("the period ends before it starts")


def _check_next_year(year: int, short: str) -> None:
    if int(short) != (year + 1) % 100:
        raise ValueError(f"{year}/{short} is not a financial year")


def fingertips_sortable(parsed: ParsedPeriod) -> str:
    """Fingertips' ``Time_period_Sortable``: the first (calendar or financial) year and 0000."""
    year = parsed.start.year
    if "/" in parsed.label and parsed.start.month < 4:
        year -= 1
    return f"{year}0000"
