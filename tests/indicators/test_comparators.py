"""Comparator groups: open, computed nearest neighbours; region, England and user groups."""

import pytest

from healthgap.indicators.comparators import (
    FEATURES,
    METHOD,
    authority_features,
    nearest_neighbours,
    save_user_group,
    standard_groups,
)
from healthgap.indicators.models import ComparatorGroup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]
COVENTRY, LEICESTER = "E08000026", "E06000016"


def test_every_upper_tier_authority_is_described():
    features = authority_features()
    assert len(features) == 151
    assert features.loc[COVENTRY, "population"] == 371_521
    assert not features[FEATURES].isna().any().any()


def test_nearest_neighbours_are_ranked_by_distance_and_exclude_the_area():
    neighbours = nearest_neighbours(COVENTRY, 10)
    assert len(neighbours) == 10 and COVENTRY not in neighbours.index
    assert list(neighbours["rank"]) == list(range(1, 11))
    assert neighbours["distance"].is_monotonic_increasing


def test_demo_boards_have_their_neighbours_stored_with_the_method():
    group = ComparatorGroup.objects.get(area=LEICESTER, kind="nearest")
    assert group.method == METHOD and "Ethnicity" in group.method and "CIPFA" in group.method
    members = list(group.members.all())
    assert len(members) == 15 and members[0].rank == 1 and members[0].distance > 0


def test_user_groups_and_standard_groups():
    group = save_user_group("Core Cities", [COVENTRY, LEICESTER, "E08000035"], area=COVENTRY)
    assert group.kind == "user" and group.members.count() == 3
    with pytest.raises(ValueError, match="E00000000"):
        save_user_group("Bad", ["E00000000"])
    (region, members), (england, all_areas) = standard_groups(COVENTRY)
    assert region == "West Midlands" and COVENTRY in members and len(members) >= 14
    assert england == "England" and len(all_areas) == 151
