"""Every write to places and routes goes through here. Members are checked first (each ward of
a route in the place's city, each LSOA and postcode known to healthgap): a problem raises
``PlaceError`` naming the field, and nothing is saved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from healthgap.areas.models import Area, AreaType
from healthgap.areas.search import configured_postcode_lookup
from healthgap.places import permissions
from healthgap.places.models import MemberType, Place, PlaceKind
from healthgap.publishing import services as publishing

MIN_ROUTE_STOPS = 2
SEPARATORS = re.compile(r"[\n,;]+")


class PlaceError(ValueError):
    """A place that cannot be saved as given: ``field`` is the form field to mark."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass
class PlaceDefinition:
    """What an analyst enters for a place or route (the form's cleaned data)."""

    name: str
    kind: str
    city: Area
    member_type: str
    members: str
    description: str = ""


def entries(text: str) -> list[str]:
    """The codes or postcodes entered, one per line (commas and semicolons also separate)."""
    return [item.strip().upper() for item in SEPARATORS.split(text or "") if item.strip()]


def resolve_members(definition: PlaceDefinition) -> list[str]:
    """The area codes the entries stand for (wards for a route, in order), every problem
    raised at once as one ``PlaceError`` on the members field."""
    items = entries(definition.members)
    if not items:
        raise PlaceError("members", "Enter at least one ward, LSOA or postcode")
    if definition.kind == PlaceKind.ROUTE:
        if definition.member_type != MemberType.WARDS:
            raise PlaceError("member_type", "A route is an ordered list of wards: choose wards")
        if len(items) < MIN_ROUTE_STOPS:
            raise PlaceError("members", f"A route needs at least {MIN_ROUTE_STOPS} wards")
    resolver = {
        MemberType.WARDS: _wards,
        MemberType.LSOAS: _lsoas,
        MemberType.POSTCODES: _postcode_lsoas,
    }[definition.member_type]
    codes, problems = resolver(items, definition.city)
    repeated = sorted({code for code in items if items.count(code) > 1})
    if repeated and definition.kind == PlaceKind.ROUTE:
        problems.append(f"{', '.join(repeated)} appear{'s' if len(repeated) == 1 else ''} twice")
    if problems:
        raise PlaceError("members", "; ".join(problems))
    return list(dict.fromkeys(codes))


def _areas(codes: list[str]) -> dict[str, Area]:
    return Area.objects.select_related("parent__parent").in_bulk(codes)


def _wards(items: list[str], city: Area) -> tuple[list[str], list[str]]:
    found, problems = _areas(items), []
    for code in items:
        ward = found.get(code)
        if ward is None or ward.area_type != AreaType.WARD:
            problems.append(f"{code} is not a ward code healthgap knows")
        elif ward.parent_id != city.code:
            city_name = ward.parent.name if ward.parent else "another authority"
            problems.append(f"{code} ({ward.name}) is a ward of {city_name}, not {city.name}")
    return items, problems


def _lsoas(items: list[str], city: Area) -> tuple[list[str], list[str]]:
    found, problems = _areas(items), []
    for code in items:
        lsoa = found.get(code)
        if lsoa is None or lsoa.area_type != AreaType.LSOA:
            problems.append(f"{code} is not an LSOA code healthgap knows")
        elif _authority_of(lsoa) != city.code:
            problems.append(f"{code} is an LSOA outside {city.name}")
    return items, problems


def _authority_of(lsoa: Area) -> str | None:
    """An LSOA's authority: through its MSOA (the demo's hierarchy) or its ward."""
    msoa = lsoa.parent
    if msoa is not None and msoa.parent_id:
        return msoa.parent_id
    return lsoa.ward.parent_id if lsoa.ward_id else None


def _postcode_lsoas(items: list[str], city: Area) -> tuple[list[str], list[str]]:
    lookup = configured_postcode_lookup()
    codes, problems = [], []
    for postcode in items:
        key = postcode.replace(" ", "")
        lsoa = lookup.lsoas_by_postcode.get(key) if lookup else None
        if lsoa is None:
            problems.append(f"{postcode} is not a postcode healthgap knows")
        else:
            codes.append(lsoa)
    if problems:
        return codes, problems
    lsoa_codes, lsoa_problems = _lsoas(codes, city)
    return lsoa_codes, [f"a postcode's {problem}" for problem in lsoa_problems]


def _require(user, perm: str, item, message: str) -> None:
    if not user.has_perm(perm, item):
        raise PermissionDenied(message)


def define_place(definition: PlaceDefinition, user) -> Place:
    """A new draft place or route, once every member is checked."""
    _require(user, permissions.ADD, None, "Only analysts can define places.")
    codes = resolve_members(definition)
    place = Place(
        name=definition.name,
        kind=definition.kind,
        city=definition.city,
        member_type=definition.member_type,
        members="\n".join(entries(definition.members)),
        description=definition.description,
        area_codes=codes,
        created_by=user,
    )
    with transaction.atomic():
        return publishing.create(place, user)


def change_place(place: Place, definition: PlaceDefinition, user, expected_version: int):
    """Saves a changed definition if nobody saved the place meanwhile (else ``StaleEdit``)."""
    _require(user, permissions.CHANGE, place, "Only analysts can change places.")
    codes = resolve_members(definition)
    place.name, place.kind, place.city = definition.name, definition.kind, definition.city
    place.member_type, place.description = definition.member_type, definition.description
    place.members, place.area_codes = "\n".join(entries(definition.members)), codes
    return publishing.save_versioned(place, user, expected_version)


def publish_place(place: Place, user) -> Place:
    _require(user, permissions.PUBLISH, place, "Only analysts and administrators can publish.")
    return publishing.publish(place, user)


def withdraw_place(place: Place, user, reason: str) -> Place:
    _require(user, permissions.PUBLISH, place, "Only analysts and administrators can withdraw.")
    return publishing.withdraw(place, user, reason)
