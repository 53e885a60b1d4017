"""The closing-the-gap page: its filters, and its sections from the published and the
record-level deaths put together."""

from __future__ import annotations

from healthgap.areas.models import Area
from healthgap.mortality import queries
from healthgap.web.formats import NotFound
from healthgap.web.pages.closing_gap import gap_views
from healthgap.web.pages.closing_gap.local import local_gap
from healthgap.web.pages.closing_gap.local_sections import local_sections
from healthgap.web.pages.closing_gap.published import TARGETS, published_gap
from healthgap.web.pages.closing_gap.published_sections import published_sections
from healthgap.web.pages.common import Filter, OutcomePage, choose


def _filters(params, years: list[int]) -> list[Filter]:
    year_options = [(str(year), str(year)) for year in years]
    year = choose(params, "year", year_options, year_options[0][0])
    goals = [str(int(year) + ahead) for ahead in gap_views.GOAL_YEARS_AHEAD]
    goal_options = [(goal, goal) for goal in goals]
    default_goal = str(int(year) + gap_views.DEFAULT_YEARS_AHEAD)
    return [
        Filter("target", "Target", TARGETS, choose(params, "target", TARGETS, "england")),
        Filter("year", "Year of registration", year_options, year),
        Filter("goal", "Reach the target by", goal_options,
               choose(params, "goal", goal_options, default_goal)),
        Filter("path", "Path to the target", gap_views.PATHS,
               choose(params, "path", gap_views.PATHS, "linear")),
    ]  # fmt: skip


def build(area: Area, params, *, unsuppressed: bool = False) -> OutcomePage:
    """The page; its counts from record-level deaths are disclosure-controlled unless
    ``unsuppressed`` (signed-in analysts only: such a page is never cached)."""
    years = queries.published_years(area.code)
    if not years:
        raise NotFound(f"No published deaths by age band are held for {area.name}.")
    filters = _filters(params, years)
    choices = {item.name: item.selected for item in filters}
    year = choices["year"]
    published = published_gap(area, choices)
    local = local_gap(area, published.pop("shares"), params.get("ward", ""), unsuppressed)
    sections = published_sections(area, published, year)
    if local:
        sections += local_sections(area, local)
        ward = local["ward_gap"]
        filters.append(Filter("ward", "Ward against the city", ward["options"], ward["code"]))
    return OutcomePage(
        title=f"Closing the gap: {area.name}",
        template="web/closing_gap.html",
        tables=[section["table"] for section in sections],
        charts={section["key"]: section["chart"] for section in sections},
        filters=filters,
        context={"published": published, "local": local, "sections": sections, "year": year},
        synthetic=bool(local and local["synthetic"]),
    )
