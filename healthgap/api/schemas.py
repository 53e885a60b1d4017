"""The shapes of the open-data API's answers, as published in its OpenAPI description."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class Licence(Schema):
    name: str
    url: str


class Envelope(Schema):
    ok: bool
    licence: Licence
    attribution: str


class Page(Envelope):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None


class Error(Schema):
    """The site's one error shape (``healthgap.web.formats.error_response``)."""

    ok: bool
    status: int
    error: str


class AreaOut(Schema):
    code: str
    name: str
    type: str
    type_name: str
    parent: str | None
    url: str


class AreaDetail(AreaOut):
    ancestors: list[AreaOut]
    children_url: str


class AreaPage(Page):
    results: list[AreaOut]


class AreaAnswer(Envelope):
    result: AreaDetail


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    domain: str
    unit: str
    value_type: str
    method: str
    polarity: str
    source: str
    licence: str
    is_synthetic: bool
    needs_disclosure_control: bool
    url: str
    values_url: str


class IndicatorPage(Page):
    results: list[IndicatorOut]


class IndicatorAnswer(Envelope):
    result: IndicatorOut


class ValueOut(Schema):
    indicator: str
    area: str
    period: str
    sex: str
    age: str
    category_type: str
    category: str
    value: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    count: float | None
    denominator: float | None
    value_note: str
    compared_to_england: str
    compared_to_region: str
    compared_to_england_998: str
    compared_to_region_998: str
    rank_upper_tier: int | None
    ranked_among: int | None
    quartile_upper_tier: int | None
    quintile_upper_tier: int | None
    recent_trend: str
    suppressed: bool
    disclosure: str


class ValuePage(Page):
    results: list[ValueOut]


class ProgrammeOut(Schema):
    id: int
    name: str
    summary: str
    lead_organisation: str
    status: str
    start_date: date | None
    end_date: date | None
    published_at: datetime | None
    url: str


class ProgrammePage(Page):
    results: list[ProgrammeOut]


class ProgrammeAnswer(Envelope):
    result: ProgrammeOut


class StrategyOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    area: str
    area_name: str
    summary: str
    is_example: bool
    published_at: datetime | None
    url: str


class StrategyPage(Page):
    results: list[StrategyOut]


class MeasureOut(Schema):
    id: int
    strategy: int
    priority: str
    indicator: str
    indicator_name: str
    area: str
    area_name: str
    sex: str
    age: str
    category_type: str
    category: str
    baseline_period: str | None
    baseline_value: float | None
    target_kind: str
    target_kind_name: str
    target_value: float | None
    target_date: date | None
    target_basis: str
    frequency: str
    status: str
    judgement: str
    assurance: str
    latest_period: str | None
    latest_value: float | None
    url: str


class MeasurePage(Page):
    results: list[MeasureOut]


class TrajectoryPointOut(Schema):
    due: date
    expected: float
    edited: bool


class SeriesPointOut(Schema):
    period: str
    period_end: date
    value: float | None
    lower95: float | None
    upper95: float | None
    expected: float | None
    suppressed: bool


class MeasureDetail(MeasureOut):
    trajectory: list[TrajectoryPointOut]
    series: list[SeriesPointOut]


class MeasureAnswer(Envelope):
    result: MeasureDetail


class ProgrammeLink(Schema):
    id: int
    name: str
    status: str
    url: str


class PriorityOut(Schema):
    id: int
    name: str
    description: str
    position: int
    measures: list[MeasureOut]
    programmes: list[ProgrammeLink]


class StrategyDetail(StrategyOut):
    priorities: list[PriorityOut]


class StrategyAnswer(Envelope):
    result: StrategyDetail


class MeetingOut(Schema):
    id: int
    committee: str
    committee_id: int
    kind: str
    kind_name: str
    starts_at: datetime
    location: str
    is_example: bool
    published_at: datetime | None
    url: str
    page_url: str


class MeetingPage(Page):
    results: list[MeetingOut]


class PaperOut(Schema):
    title: str
    size_bytes: int
    url: str


class AgendaItemOut(Schema):
    number: int
    title: str
    theme: str
    item_type: str
    decision: str
    from_committee: str | None
    papers: list[PaperOut]


class AttendanceOut(Schema):
    member: str
    status: str
    substitute: str


class MeetingDetail(MeetingOut):
    items: list[AgendaItemOut]
    attendance: list[AttendanceOut]


class MeetingAnswer(Envelope):
    result: MeetingDetail


class DecisionOut(Schema):
    meeting: int
    committee: str
    starts_at: datetime
    number: int
    title: str
    theme: str
    decision: str
    meeting_url: str


class DecisionPage(Page):
    results: list[DecisionOut]


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    city: str
    city_name: str
    description: str
    made_of: str
    areas: list[str]
    published_at: datetime | None
    url: str
    page_url: str


class PlacePage(Page):
    results: list[PlaceOut]


class PlaceIndicatorOut(Schema):
    indicator: str
    name: str
    unit: str
    period: str
    sex: str
    age: str
    category_type: str
    category: str
    areas_with_figure: int
    members: int
    count: float | None
    denominator: float | None
    value: float | None
    lower95: float | None
    upper95: float | None
    suppressed: bool
    disclosure: str


class PlaceMortalityOut(Schema):
    ward: str | None
    measure: str
    sex: str
    value: float | None
    lower95: float | None
    upper95: float | None
    disclosure: str


class PlaceDetail(PlaceOut):
    population: float
    synthetic_deaths: bool
    indicators: list[PlaceIndicatorOut]
    mortality: list[PlaceMortalityOut]
    stops: list[PlaceMortalityOut]


class PlaceAnswer(Envelope):
    result: PlaceDetail
