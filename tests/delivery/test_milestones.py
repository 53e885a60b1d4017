"""Programme leads update their own programmes; commentary is public only once a board officer
approves it; overdue milestones are flagged."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from healthgap.constants import Role
from healthgap.delivery import permissions, services
from healthgap.delivery.models import Milestone, ProgrammeUpdate
from healthgap.delivery.targets import TargetError
from healthgap.publishing import services as publishing
from tests.publishing.people import person, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return {
        "analyst": person("amina", "Amina Khan", Role.ANALYST),
        "lead": person("ben", "Ben Okafor", Role.PROGRAMME_LEAD),
        "other_lead": person("carys", "Carys Jones", Role.PROGRAMME_LEAD),
        "officer": person("fola", "Fola Ade", Role.BOARD_OFFICER),
    }


@pytest.fixture
def bens(team):
    return programme(team["analyst"], lead=team["lead"], name="Smokefree Coventry")


def test_the_lead_adds_a_milestone_and_its_history_names_them(team, bens):
    milestone = Milestone(
        title="Stop-smoking service recommissioned", owner=team["lead"], due_date=date(2027, 3, 31)
    )
    services.add_milestone(bens, milestone, team["lead"])
    record = bens.milestones.get().history.get()
    assert record.history_user == team["lead"]


@pytest.mark.parametrize(
    "missing, message", [("owner", "Choose who owns"), ("due_date", "due date")]
)
def test_a_milestone_without_an_owner_or_due_date_is_refused(team, bens, missing, message):
    fields = dict(title="Launch", owner=team["lead"], due_date=date(2027, 3, 31))
    fields[missing] = None
    with pytest.raises(TargetError, match=message):
        services.add_milestone(bens, Milestone(**fields), team["lead"])
    assert not bens.milestones.exists()


def test_another_lead_cannot_update_the_programme(team, bens):
    with pytest.raises(PermissionDenied, match="Only the lead of “Smokefree Coventry”"):
        services.record_update(bens, team["other_lead"], "Going well.")
    with pytest.raises(PermissionDenied):
        services.add_milestone(
            bens,
            Milestone(title="x", owner=team["lead"], due_date=date(2027, 1, 1)),
            team["other_lead"],
        )
    assert not ProgrammeUpdate.private_objects.filter(programme=bens).exists()
    assert not bens.milestones.exists()


def test_commentary_is_public_only_once_a_board_officer_approves_it(team, bens):
    update = services.record_update(bens, team["lead"], "Quit rates up in Foleshill.")
    assert not ProgrammeUpdate.public_objects.filter(programme=bens).exists()
    assert not team["lead"].has_perm(permissions.APPROVE_UPDATE, update)
    assert not team["analyst"].has_perm(permissions.APPROVE_UPDATE, update)
    assert team["officer"].has_perm(permissions.APPROVE_UPDATE, update)
    publishing.publish(update, team["officer"])
    assert list(ProgrammeUpdate.public_objects.filter(programme=bens)) == [update]


def test_overdue_is_a_milestone_not_done_by_its_due_date(team, bens):
    milestone = Milestone(
        programme=bens, title="Launch", owner=team["lead"], due_date=date(2026, 6, 30)
    )
    assert milestone.is_overdue_on(date(2026, 7, 1))
    assert not milestone.is_overdue_on(date(2026, 6, 30))
    milestone.status = "done"
    assert not milestone.is_overdue_on(date(2026, 7, 1))


def test_my_work_lists_the_milestones_i_own_not_done(team, bens):
    from healthgap.delivery.workspace import milestones_i_own

    for title, due, status in [
        ("Launch", date(2020, 1, 31), "in_progress"),
        ("Review", date(2099, 1, 31), "not_started"),
        ("Done one", date(2020, 1, 31), "done"),
    ]:
        Milestone.objects.create(programme=bens, title=title, owner=team["lead"], due_date=due,
                                 status=status)  # fmt: skip
    mine = milestones_i_own(team["lead"])
    assert [(item["name"], item["status"]) for item in mine] == [
        ("Launch (Smokefree Coventry)", "Overdue"),
        ("Review (Smokefree Coventry)", "Due 31 January 2099"),
    ]


def test_a_milestone_edit_reads_in_words_in_its_history(team, bens):
    from healthgap.publishing.history import item_history

    milestone = services.add_milestone(
        bens, Milestone(title="Launch", owner=team["lead"], due_date=date(2027, 3, 31)),
        team["lead"],
    )  # fmt: skip
    milestone.status = "done"
    publishing.save_versioned(milestone, team["lead"], milestone.version)
    newest = item_history(milestone)[0].sentences[0]
    assert newest.startswith("Ben Okafor changed the status from 'Not started' to 'Done' on ")
