"""The workspace forms for committees and members (board officers and administrators): the
membership review shown beside them, bad input refused with its message and the typed values
kept, version-checked edits."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from healthgap.accounts.models import Sector
from healthgap.board.models import Committee, CommitteeKind, StatutoryRole
from healthgap.constants import Role
from tests.board.people import board, member, officer, organisation, statutory_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def olu(client):
    user = officer()
    client.force_login(user)
    return user


def member_data(committee, **changes) -> dict:
    data = {
        "version": 1,
        "name": "Cllr Linda Bigham",
        "role": "Cabinet Member for Adult Services",
        "statutory_role": StatutoryRole.COUNCILLOR,
        "organisation": organisation("Coventry City Council").pk,
        "voting": "on",
        "start_date": "2025-05-20",
    }
    return {**data, **changes}


def test_adding_the_councillor_closes_that_gap_in_the_review_beside_the_form(client, olu):
    hwb = board(olu)
    url = reverse("board:member_new", args=[hwb.pk])
    form_page = client.get(url).content.decode()
    assert "No councillor of the local authority (s.194(2)(a))." in form_page
    response = client.post(url, member_data(hwb), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/workspace/board/{hwb.pk}/#membership-review")
    added = hwb.members.get()
    assert (added.name, added.statutory_role, added.version) == (
        "Cllr Linda Bigham",
        StatutoryRole.COUNCILLOR,
        1,
    )
    assert "No councillor" not in client.get(url).content.decode()


def test_a_membership_ending_before_it_starts_is_refused_keeping_what_was_typed(client, olu):
    hwb = board(olu)
    url = reverse("board:member_new", args=[hwb.pk])
    page = client.post(url, member_data(hwb, end_date="2025-01-31")).content.decode()
    assert "membership cannot end (31 January 2025) before it starts (20 May 2025)" in page
    assert 'value="Cabinet Member for Adult Services"' in page
    assert not hwb.members.exists()


def test_a_substitute_must_stand_in_for_a_member_of_the_same_board(client, olu):
    hwb, other = board(olu), board(olu, name="Warwickshire Health and Wellbeing Board")
    elsewhere = member(olu, other, "Cllr Margaret Bell")
    url = reverse("board:member_new", args=[hwb.pk])
    page = client.post(url, member_data(hwb, substitute_for=elsewhere.pk)).content.decode()
    # The form offers this board's members only: another board's is not a choice.
    assert "Select a valid choice" in page
    assert not hwb.members.exists()


def test_an_edit_from_a_stale_form_is_refused_with_who_changed_what(client, olu):
    hwb = board(olu)
    members = statutory_members(olu, hwb)
    dph = members["dph"]
    url = reverse("board:member_edit", args=[dph.pk])
    fields = member_data(hwb, name=dph.name, statutory_role=StatutoryRole.PUBLIC_HEALTH)
    client.post(url, {**fields, "role": "Director of Public Health and Wellbeing"})
    page = client.post(url, {**fields, "role": "Interim Director"}).content.decode()
    assert "Olu Adeyemi changed this member at" in page
    assert 'value="Interim Director"' in page
    dph.refresh_from_db()
    assert (dph.role, dph.version) == ("Director of Public Health and Wellbeing", 2)


def test_a_sub_group_must_report_to_a_board_and_a_board_wants_sectors(client, olu):
    url = reverse("board:committee_new")
    data = {"version": 1, "name": "Health Protection Committee", "kind": CommitteeKind.SUB_GROUP}
    page = client.post(url, data).content.decode()
    assert "Choose the board this sub-group reports to." in page
    assert not Committee.objects.exists()
    icb = organisation("NHS Coventry and Warwickshire ICB", Sector.ICB)
    form = client.get(url).content.decode()
    assert f'type="checkbox" name="integrated_care_boards" value="{icb.pk}"' in form
    board_data = {
        "version": 1,
        "name": "Coventry Health and Wellbeing Board",
        "kind": CommitteeKind.BOARD,
        "wanted_sectors": [Sector.VCS, Sector.POLICE],
        "integrated_care_boards": [icb.pk],
    }
    client.post(url, board_data)
    hwb = Committee.objects.get()
    assert hwb.wanted_sectors == [Sector.VCS, Sector.POLICE]
    assert list(hwb.integrated_care_boards.all()) == [icb]
    review = client.get(reverse("board:member_new", args=[hwb.pk])).content.decode()
    assert "No representative of NHS Coventry and Warwickshire ICB" in review
    assert "No member from the Police sector, which the board says it wants." in review
    client.post(url, {**data, "reports_to": hwb.pk})
    assert Committee.objects.get(kind=CommitteeKind.SUB_GROUP).reports_to == hwb


def test_a_board_member_may_not_change_the_membership(client):
    reader = User.objects.create_user("dev", password="pw")
    reader.groups.add(Group.objects.get_or_create(name=Role.BOARD_MEMBER)[0])
    hwb = board(officer())
    client.force_login(reader)
    assert client.get(reverse("board:member_new", args=[hwb.pk])).status_code == 403
    assert client.get(reverse("board:committee_edit", args=[hwb.pk])).status_code == 403
