"""Programme pages: who may see, edit and publish which programme, version-checked edits through
the workspace, and the public list that shows published programmes only."""

import pytest
from django.conf import settings
from django.urls import reverse

from healthgap.constants import Role
from healthgap.delivery.models import Programme
from healthgap.delivery.workspace import programmes_i_lead
from healthgap.publishing import services
from healthgap.publishing.models import PublicationState
from tests.publishing.people import person, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return {
        "analyst": person("amina", "Amina Khan", Role.ANALYST),
        "lead": person("ben", "Ben Okafor", Role.PROGRAMME_LEAD),
        "other_lead": person("carys", "Carys Jones", Role.PROGRAMME_LEAD),
        "member": person("dev", "Dev Patel", Role.BOARD_MEMBER),
        "admin": person("erin", "Erin Walsh", Role.ADMINISTRATOR),
    }


@pytest.fixture
def bens(team):
    return programme(team["analyst"], lead=team["lead"], name="Smokefree Coventry")


def _post(item, **changes):
    return {
        "name": item.name,
        "summary": item.summary,
        "lead": item.lead_id or "",
        "lead_organisation_name": "Coventry City Council",
        "status": item.status,
        "start_date": "2026-04-01",
        "end_date": "2027-03-31",
        "version": item.version,
        **changes,
    }


@pytest.mark.parametrize(
    "who, view, edit, publish",
    [
        ("analyst", True, True, True),
        ("lead", True, True, False),
        ("other_lead", True, False, False),
        ("member", True, False, False),
        ("admin", True, True, True),
    ],
)
def test_object_permissions_by_role(team, bens, who, view, edit, publish):
    user = team[who]
    assert user.has_perm("delivery.view_programme", bens) is view
    assert user.has_perm("delivery.change_programme", bens) is edit
    assert user.has_perm("delivery.publish_programme", bens) is publish


def test_a_user_with_no_role_sees_nothing(client, bens):
    client.force_login(person("zed", "Zed Nobody"))
    assert client.get(reverse("delivery:programmes")).status_code == 403
    assert client.get(reverse("delivery:programme", args=[bens.pk])).status_code == 403


def test_workspace_pages_need_sign_in(client, bens):
    response = client.get(reverse("delivery:programme_edit", args=[bens.pk]))
    assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)


def test_a_lead_is_refused_another_leads_edit_page(client, team, bens):
    client.force_login(team["other_lead"])
    assert client.get(reverse("delivery:programme_edit", args=[bens.pk])).status_code == 403
    response = client.post(reverse("delivery:programme_edit", args=[bens.pk]), _post(bens))
    assert response.status_code == 403
    client.force_login(team["lead"])
    assert client.get(reverse("delivery:programme_edit", args=[bens.pk])).status_code == 200


def test_the_lead_edits_their_programme_and_the_history_shows_it(client, team, bens):
    client.force_login(team["lead"])
    url = reverse("delivery:programme_edit", args=[bens.pk])
    response = client.post(url, _post(bens, summary="Halve smoking by 2028."))
    assert response.status_code == 302
    bens.refresh_from_db()
    assert (bens.summary, bens.version) == ("Halve smoking by 2028.", 2)
    history = client.get(reverse("delivery:programme_history", args=[bens.pk])).content.decode()
    assert (
        "Ben Okafor changed the summary from &#x27;Halve smoking by 2030.&#x27; to "
        "&#x27;Halve smoking by 2028.&#x27;" in history
    )


def test_a_stale_edit_through_the_page_is_refused_with_the_text_kept(client, team, bens):
    url = reverse("delivery:programme_edit", args=[bens.pk])
    client.force_login(team["analyst"])
    client.post(url, _post(bens, summary="Amina's summary"))
    client.force_login(team["lead"])
    response = client.post(url, _post(bens, summary="Ben's summary"))  # from version 1
    page = response.content.decode()
    assert response.status_code == 200
    assert "Amina Khan changed this programme at " in page
    assert "while you were editing" in page
    assert "Ben&#x27;s summary</textarea>" in page
    assert 'name="version" value="2"' in page
    assert Programme.private_objects.get(pk=bens.pk).summary == "Amina's summary"


def test_an_invalid_date_range_is_refused(client, team, bens):
    client.force_login(team["lead"])
    url = reverse("delivery:programme_edit", args=[bens.pk])
    response = client.post(url, _post(bens, start_date="2027-01-01", end_date="2026-01-01"))
    assert "The end date must be the same as or after the start date" in response.content.decode()
    assert Programme.private_objects.get(pk=bens.pk).version == 1


def test_publish_and_withdraw_buttons(client, team, bens):
    client.force_login(team["lead"])
    assert client.post(reverse("delivery:programme_publish", args=[bens.pk])).status_code == 403
    client.force_login(team["analyst"])
    client.post(reverse("delivery:programme_publish", args=[bens.pk]))
    bens.refresh_from_db()
    assert bens.publication_state == PublicationState.PUBLISHED

    withdraw = reverse("delivery:programme_withdraw", args=[bens.pk])
    response = client.post(withdraw, {"reason": ""}, follow=True)
    assert "Give the reason for withdrawing it" in response.content.decode()
    bens.refresh_from_db()
    assert bens.publication_state == PublicationState.PUBLISHED

    client.post(withdraw, {"reason": "Merged into the tobacco plan"})
    bens.refresh_from_db()
    assert bens.publication_state == PublicationState.WITHDRAWN


def test_public_page_and_json_list_published_programmes_only(client, team):
    analyst = team["analyst"]
    programme(analyst, name="Draft plan")
    services.publish(programme(analyst, name="Healthy weight", status="at_risk"), analyst)
    withdrawn = services.publish(programme(analyst, name="Old plan"), analyst)
    services.withdraw(withdrawn, analyst, "Finished")

    page = client.get("/programmes/").content.decode()
    assert "Healthy weight" in page
    assert "Draft plan" not in page and "Old plan" not in page
    body = client.get("/programmes.json").json()
    assert [row["name"] for row in body["tables"]["programmes"]] == ["Healthy weight"]
    assert body["tables"]["programmes"][0]["status"] == "At risk"


def test_my_work_lists_the_programmes_i_lead_drafts_too(team, bens):
    assert [p["name"] for p in programmes_i_lead(team["lead"])] == ["Smokefree Coventry"]
    assert programmes_i_lead(team["other_lead"]) == []
