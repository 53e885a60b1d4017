"""Statistical disclosure control of published counts and rates: one rule set (issue 17).

* Below national level, counts from ``low`` to ``high`` (1-7) are shown as "*" and counts
  above ``high`` are rounded to the nearest ``rounding_base`` (5): NHS England / NHS Digital's
  rule for Hospital Episode Statistics since 2018. Zero is shown as 0.
* No directly standardised rate from fewer than 10 events and no crude rate from fewer than 3
  (ONS mortality statistics); the count may still be shown.
* Secondary suppression: a suppressed count must not be recoverable by subtracting published
  figures from a published total. Each additivity constraint (total, parts) with exactly one
  suppressed member has its smallest unsuppressed part (or its total) suppressed too, across
  all constraints until none has exactly one; then each group of suppressed cells linked by
  constraints is checked as a linear system (a cell is recoverable when no solution of the
  constraints can change it: its row of the null space is zero) and a further cell is
  suppressed until none is recoverable. A cell suppressed only to protect another that the
  constraints fix all the same (a place holding every suppressed ward of a shown city) is shown
  again, as withholding it hides nothing, and a partner is sought elsewhere in the linked
  system when every constraint holding the cell to protect is full (a place less another
  place inside it).
* National figures are never suppressed; figures republished from an official open source keep
  that source's treatment (``DisclosureRule.none``) and its note. Cells already published by
  another output (``published``) keep their state there: a new figure related to them (a place
  made of wards) is the one suppressed if one must be.
* A standardised figure whose count was rounded is worked out again from the rounded count
  (:func:`from_rounded_count`), since its limits would otherwise give the true count back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import lsqr

from healthgap.methods._common import (
    MethodArgumentError,
    byars_lower,
    byars_upper,
    check_choice,
    numeric_column,
    poisson_count_limits,
    require_columns,
    require_frame,
)

NATIONAL = "national"
SHOWN_AS_SUPPRESSED = "*"
# The recoverability check: random probes of the null space, solved to near machine precision;
# a cell whose projected probe is below FIXED_TOLERANCE is fixed by the equations.
NULL_SPACE_PROBES = 2
LSQR_TOLERANCE = 1e-14
FIXED_TOLERANCE = 1e-6
ALREADY_SUPPRESSED = "suppressed where already published"
SECONDARY = "secondary: protects"
# What from_rounded_count does to each kind of figure; other kinds are left as they are.
DIRECTLY_STANDARDISED, INDIRECTLY_STANDARDISED, LIFE_EXPECTANCY = "dsr", "isr", "life_expectancy"
REFIGURED_KINDS = (DIRECTLY_STANDARDISED, INDIRECTLY_STANDARDISED, LIFE_EXPECTANCY)
FROM_ROUNDED = "value and limits worked out from the rounded count"


@dataclass(frozen=True)
class DisclosureRule:
    """One indicator's disclosure rule (defaults: NHS England's HES rule and ONS's rate rules)."""

    low: int = 1
    high: int = 7
    rounding_base: int = 5
    min_events_dsr: int = 10
    min_events_crude_rate: int = 3
    name: str = "NHS England small numbers (1-7 suppressed, rounded to 5)"
    note: str = ""
    apply: bool = True

    def __post_init__(self):
        for field in ("low", "high", "rounding_base", "min_events_dsr", "min_events_crude_rate"):
            number = getattr(self, field)
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise MethodArgumentError(f"{field}: must be a whole number from 0, got {number!r}")
        if self.low > self.high:
            raise MethodArgumentError(f"low: {self.low} is above high ({self.high})")
        if self.rounding_base < 1:
            raise MethodArgumentError("rounding_base: must be 1 (no rounding) or more")

    @classmethod
    def none(cls, note: str) -> DisclosureRule:
        """Figures republished from an official open source: its own treatment, its note."""
        return cls(name="none", note=note, apply=False)

    @property
    def primary_reason(self) -> str:
        return f"primary: count {self.low}-{self.high}"


def disclose(
    cells: pd.DataFrame,
    constraints: Sequence[tuple[object, Sequence[object]]] = (),
    rule: DisclosureRule | None = None,
    *,
    id: str = "id",
    count: str = "count",
    value: str = "value",
    value_type: str = "value_type",
    level: str = "level",
    published: str | None = None,
) -> pd.DataFrame:
    """The published form of each cell under ``rule`` (default :class:`DisclosureRule`).

    ``cells``: one row per published cell with its ``id``, ``count`` (events), ``value`` (the
    figure shown: a count, rate, proportion ...), ``value_type`` ("count", "dsr", "crude_rate",
    ...) and ``level`` ("national" is never suppressed). ``constraints``: (total id, [part
    ids]) for every additive relation the caller's hierarchy makes public (wards in a city,
    sexes in persons, age bands in all ages, categories in the whole). ``published``: an
    optional column, True for a cell another output already publishes suppressed, False for one
    it shows, missing for cells decided here; the published ones keep their state, so secondary
    suppression falls on the others.

    Returns ``cells`` with ``count_shown`` (rounded, or None when suppressed), ``value_shown``
    (None when suppressed), ``suppressed`` (bool, the count is withheld), ``reason`` ("primary:
    count 1-7", "secondary: protects <id>", "DSR from fewer than 10 events", "crude rate from
    fewer than 3 events" or "") and ``note`` (the rule's note).
    """
    rule = DisclosureRule() if rule is None else rule
    if not isinstance(rule, DisclosureRule):
        raise MethodArgumentError(f"rule: must be a DisclosureRule, got {type(rule).__name__}")
    cells = require_frame(cells, "cells")
    require_columns(cells, id=id, count=count, value=value, value_type=value_type, level=level)
    if cells[id].duplicated().any():
        raise MethodArgumentError(f"id: column {id!r} has duplicate cell ids")
    counts = numeric_column(cells, count, "count")
    national = cells[level].astype(str).str.lower().eq(NATIONAL).to_numpy()
    out = cells.copy()
    reason = np.full(len(cells), "", dtype=object)
    if not rule.apply:
        return _published(out, counts, cells[value], np.zeros(len(cells), bool), reason, rule)
    shown_elsewhere, hidden_elsewhere = _published_elsewhere(cells, published)
    primary = ~national & ~shown_elsewhere & (counts >= rule.low) & (counts <= rule.high)
    reason[primary] = rule.primary_reason
    reason[hidden_elsewhere] = ALREADY_SUPPRESSED
    suppressed = primary | hidden_elsewhere
    members = _constraint_members(cells[id], constraints)
    locked = national | shown_elsewhere
    _protect(suppressed, reason, counts, locked, members, cells[id].to_numpy())
    shown = np.where(national, counts, _rounded(counts, rule.rounding_base))
    values = cells[value].to_numpy(dtype=object, copy=True)
    kinds = cells[value_type].astype(str).str.lower().to_numpy()
    values[kinds == "count"] = shown[kinds == "count"]  # a count's value is the count: rounded
    for kind, minimum, words in (
        ("dsr", rule.min_events_dsr, "DSR"),
        ("crude_rate", rule.min_events_crude_rate, "crude rate"),
    ):
        too_few = (kinds == kind) & (counts < minimum) & ~suppressed
        values[too_few] = None
        reason[too_few] = f"{words} from fewer than {minimum} events"
    return _published(out, shown, values, suppressed, reason, rule)


def _published_elsewhere(cells: pd.DataFrame, published: str | None):
    """(shown by another output, suppressed by another output) as boolean arrays."""
    if published is None:
        nothing = np.zeros(len(cells), dtype=bool)
        return nothing, nothing.copy()
    require_columns(cells, published=published)
    state = cells[published]
    known = state.notna().to_numpy()
    if not state[known].isin([True, False]).all():
        raise MethodArgumentError(f"published: column {published!r} must be True, False or empty")
    hidden = state.eq(True).to_numpy()
    return known & ~hidden, hidden


def _published(out, shown, values, suppressed, reason, rule) -> pd.DataFrame:
    count_shown = np.asarray(shown, dtype=object)
    count_shown[suppressed] = None
    value_shown = np.asarray(values, dtype=object).copy()
    value_shown[suppressed] = None
    out["count_shown"] = count_shown
    out["value_shown"] = value_shown
    out["suppressed"] = suppressed
    out["reason"] = reason
    out["note"] = rule.note
    return out


def _rounded(counts: np.ndarray, base: int) -> np.ndarray:
    """Nearest multiple of ``base``, halves rounded up (8 -> 10, 12 -> 10, 13 -> 15)."""
    return np.floor(counts / base + 0.5) * base


@dataclass(frozen=True)
class _Members:
    """Constraint membership as parallel arrays: constraint number, cell row, is it the total."""

    constraint: np.ndarray
    cell: np.ndarray
    is_total: np.ndarray
    n_constraints: int

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each constraint's members begin (members are stored constraint by constraint)."""
        return np.searchsorted(self.constraint, np.arange(self.n_constraints + 1))


def _constraint_members(ids: pd.Series, constraints) -> _Members:
    """Look every member up once: one index lookup for all constraints together."""
    constraint, members, is_total = [], [], []
    for number, entry in enumerate(constraints):
        try:
            total, parts = entry
        except (TypeError, ValueError) as error:
            raise MethodArgumentError(
                "constraints: each must be (total cell id, [part cell ids])"
            ) from error
        constraint += [number] * (len(parts) + 1)
        members += [total, *parts]
        is_total += [True] + [False] * len(parts)
    rows = pd.Index(ids).get_indexer(pd.Index(members, dtype=object))
    if (rows < 0).any():
        unknown = members[int(np.flatnonzero(rows < 0)[0])]
        raise MethodArgumentError(f"constraints: cell id {unknown!r} is not in cells")
    return _Members(
        np.asarray(constraint, dtype=np.intp),
        rows.astype(np.intp),
        np.asarray(is_total, dtype=bool),
        len(constraints),
    )


def _protect(suppressed, reason, counts, locked, members: _Members, ids) -> None:
    """Secondary suppression until no suppressed count can be worked out (in place); ``locked``
    cells (national, or shown by another output) are never suppressed."""
    while True:
        _protect_single_gaps(suppressed, reason, counts, locked, members, ids)
        exposed = _recoverable_cells(suppressed, members)
        if not exposed.size:
            return
        needless = exposed[np.char.startswith(reason[exposed].astype(str), SECONDARY)]
        if needless.size:  # secondary cells the figures fix anyway: withholding them hides nothing
            suppressed[needless], locked[needless], reason[needless] = False, True, ""
            continue
        for row in exposed:
            _suppress_partner(row, suppressed, reason, counts, locked, members, ids)


def _protect_single_gaps(suppressed, reason, counts, locked, members, ids) -> None:
    """Every constraint with exactly one suppressed member gets a second, until none has one.

    All such constraints are treated together in each pass (vectorised): the smallest open
    part of each (else its total) is suppressed.
    """
    if members.n_constraints == 0:
        return
    while True:
        hidden = suppressed[members.cell]
        per_constraint = np.bincount(
            members.constraint, weights=hidden, minlength=members.n_constraints
        )
        single = per_constraint[members.constraint] == 1
        if not single.any():
            return
        protected = np.full(members.n_constraints, -1, dtype=np.intp)
        protected[members.constraint[single & hidden]] = members.cell[single & hidden]
        open_ = single & ~hidden & ~locked[members.cell]
        # parts first (is_total False sorts first), then the smallest count
        order = np.lexsort((counts[members.cell], members.is_total, members.constraint))
        order = order[open_[order]]
        constraint = members.constraint[order]
        covered, first = np.unique(constraint, return_index=True)
        first = order[first]
        stuck = np.setdiff1d(np.flatnonzero(per_constraint == 1), covered)
        if stuck.size:
            raise MethodArgumentError(_unprotectable(ids, protected[stuck[0]]))
        chosen = members.cell[first]
        suppressed[chosen] = True
        reason[chosen] = [f"{SECONDARY} {ids[protected[c]]}" for c in members.constraint[first]]


def _suppress_partner(row, suppressed, reason, counts, locked, members, ids) -> None:
    """Suppress the smallest open member of a constraint holding a recoverable cell, else
    (every such constraint full) a cell of the wider system that sets it free."""
    for number in members.constraint[members.cell == row]:
        rows = members.cell[members.starts[number] : members.starts[number + 1]]
        candidates = rows[~suppressed[rows] & ~locked[rows]]
        if candidates.size:
            chosen = candidates[np.argmin(counts[candidates])]
            suppressed[chosen] = True
            reason[chosen] = f"{SECONDARY} {ids[row]}"
            return
    _suppress_linked_partner(row, suppressed, reason, counts, locked, members, ids)


def _suppress_linked_partner(row, suppressed, reason, counts, locked, members, ids) -> None:
    """A cell pinned through constraints it is not in (a place less another place inside it,
    both within a shown total): the smallest open cell of any constraint touching a suppressed
    one whose suppression leaves the cell recoverable no more."""
    touching = np.unique(members.constraint[suppressed[members.cell]])
    open_ = np.isin(members.constraint, touching) & ~suppressed[members.cell]
    candidates = np.unique(members.cell[open_ & ~locked[members.cell]])
    for candidate in candidates[np.argsort(counts[candidates], kind="stable")]:
        suppressed[candidate] = True
        if row not in _recoverable_cells(suppressed, members):
            reason[candidate] = f"{SECONDARY} {ids[row]}"
            return
        suppressed[candidate] = False
    raise MethodArgumentError(_unprotectable(ids, row))


def _unprotectable(ids, row) -> str:
    return f"constraints: cell {ids[row]!r} cannot be protected (every figure beside it is shown)"


def _recoverable_cells(suppressed, members: _Members) -> np.ndarray:
    """Suppressed cells fixed by the constraints and the published figures (rows, sorted).

    The unknowns are the suppressed cells; each constraint touching one gives an equation
    (total - sum of parts = published figures). A cell is fixed when every solution of the
    homogeneous system A x = 0 has x = 0 there. Random vectors projected on the null space of
    the sparse A (r - A^T y, y the least-squares solution of A^T y = r by LSQR) are zero exactly
    at the fixed cells and, with probability 1, nowhere else.
    """
    touching = suppressed[members.cell]
    if not touching.any():
        return np.zeros(0, dtype=np.intp)
    unknowns, column = np.unique(members.cell[touching], return_inverse=True)
    equations, equation = np.unique(members.constraint[touching], return_inverse=True)
    sign = np.where(members.is_total[touching], 1.0, -1.0)
    system = csr_matrix((sign, (equation, column)), shape=(len(equations), len(unknowns)))
    rng = np.random.default_rng(0)
    free = np.zeros(len(unknowns), dtype=bool)
    for _ in range(NULL_SPACE_PROBES):
        probe = rng.standard_normal(len(unknowns))
        solution = lsqr(system.T, probe, atol=LSQR_TOLERANCE, btol=LSQR_TOLERANCE, iter_lim=10_000)
        projected = probe - system.T @ solution[0]
        free |= np.abs(projected) > FIXED_TOLERANCE
    return unknowns[~free]


def from_rounded_count(
    figures: pd.DataFrame,
    value_type: str,
    *,
    count: str = "count",
    count_shown: str = "count_shown",
    value: str = "value",
    limits: Sequence[tuple[str, str, float]] = (("lowercl", "uppercl", 0.95),),
) -> pd.DataFrame:
    """Standardised figures as published when their count is rounded: nothing left depends on
    the true ``count``, only on the published ``count_shown`` (rows where the two are equal,
    or either is missing, are left as they are).

    * ``"dsr"``: the rate recomputed with every band's events scaled by shown / true count
      (the usual treatment of published rounded DSRs). The value scales by that ratio; Dobson's
      limits are value + s (Byar's limit of the count - the count) with s = sqrt(var / count)
      unchanged by the scaling, so s is read from the given limits' width and the limits are
      put again around the rounded count.
    * ``"isr"``: observed = the rounded count, so value and limits are value / count times the
      rounded count and its Poisson limits (Byar's from 10, exact below; Breslow & Day 1987).
    * ``"life_expectancy"``: value and limits kept as they are. Unlike a DSR's or an ISR's,
      life expectancy's limits (Chiang II with Silcocks' variance) depend on the deaths and the
      population of each of the 20 age bands, so neither the total count nor any band's count
      can be read back from the value and two limits; withholding them would leave most ward
      life expectancies uncompared for no protection.

    ``limits``: (lower column, upper column, confidence level) for each pair of limits. Returns
    ``figures`` with those columns replaced and ``refigured`` ("" or what was done).
    """
    check_choice(value_type, "value_type", REFIGURED_KINDS)
    figures = require_frame(figures, "figures")
    if value_type == LIFE_EXPECTANCY:
        return figures.assign(refigured="")
    columns = [name for lower, upper, _ in limits for name in (lower, upper)]
    require_columns(figures, count=count, count_shown=count_shown, value=value, limits=columns)
    true = numeric_column(figures, count, "count")
    shown = numeric_column(figures, count_shown, "count_shown")
    changed = ~np.isnan(true) & ~np.isnan(shown) & (true != shown) & (true > 0)
    out = figures.copy()
    out["refigured"] = np.where(changed, FROM_ROUNDED, "")
    if not changed.any():
        return out
    old_value = numeric_column(figures, value, "value")[changed]
    true, shown = true[changed], shown[changed]
    new_value = old_value * shown / true
    out.loc[changed, value] = new_value
    for lower, upper, level in limits:
        width = (figures[upper].to_numpy(float) - figures[lower].to_numpy(float))[changed]
        if value_type == DIRECTLY_STANDARDISED:
            scale = width / (byars_upper(true, level) - byars_lower(true, level))
            low = new_value + scale * (byars_lower(shown, level) - shown)
            high = new_value + scale * (byars_upper(shown, level) - shown)
        else:
            per_event = old_value / true
            low, high = (per_event * limit for limit in poisson_count_limits(shown, level))
        out.loc[changed, lower], out.loc[changed, upper] = low, high
    return out


__all__ = ["SHOWN_AS_SUPPRESSED", "DisclosureRule", "disclose", "from_rounded_count"]
