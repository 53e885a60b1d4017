"""Publishing in a real browser against the served app: two people edit the same programme at
once, the second is refused with their text kept and the first one's change shown; the history
shows both edits; a programme lead is refused another lead's edit page; every new page is
accessible (axe)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PEOPLE = [
    ("amina", "Amina Khan", ("Analyst",)),
    ("ben", "Ben Okafor", ("Programme lead",)),
    ("carys", "Carys Jones", ("Programme lead",)),
    ("erin", "Erin Walsh", ("Administrator",)),
]
MAKE_PROGRAMME = """
import json
from django.contrib.auth.models import User
from healthgap.delivery.models import Programme
from healthgap.publishing import services
amina = User.objects.get(username="amina")
item = services.create(Programme(
    name="Smokefree Coventry", summary="Halve smoking by 2030.",
    lead=User.objects.get(username="ben")), amina)
print(json.dumps(item.pk))
"""


@pytest.fixture(scope="module")
def programme_url(served_app, served_shell, people):
    return f"{served_app}/workspace/programmes/{served_shell(MAKE_PROGRAMME)}"


def test_two_people_edit_at_once_the_second_is_refused_with_their_text_kept(people, programme_url):
    ben, amina = people["ben"](), people["amina"]()
    ben.goto(programme_url + "/edit")
    amina.goto(programme_url + "/edit")
    assert_accessible(ben, "programme-edit")

    amina.get_by_label("Summary").fill("Halve smoking by 2028, starting with pregnant women.")
    amina.get_by_role("button", name="Save").click()
    amina.wait_for_url(programme_url)
    assert "Your changes are saved" in amina.get_by_test_id("message").inner_text()

    ben.get_by_label("Summary").fill("Halve smoking by 2030 in the most deprived wards first.")
    ben.get_by_role("button", name="Save").click()
    summary = ben.get_by_test_id("error-summary").inner_text()
    assert "Amina Khan changed this programme at " in summary
    assert summary.rstrip().endswith("while you were editing")
    assert ben.get_by_label("Summary").input_value() == (
        "Halve smoking by 2030 in the most deprived wards first."
    )
    their_change = ben.get_by_test_id("their-change").inner_text()
    assert "Halve smoking by 2030." in their_change
    assert "Halve smoking by 2028, starting with pregnant women." in their_change
    assert_accessible(ben, "programme-edit-refused")

    ben.get_by_role("button", name="Save").click()  # deliberately, having seen their change
    ben.wait_for_url(programme_url)
    assert ben.get_by_test_id("summary").inner_text() == (
        "Halve smoking by 2030 in the most deprived wards first."
    )
    assert_accessible(ben, "programme-detail")

    ben.get_by_role("link", name="History").click()
    history = ben.get_by_test_id("history").inner_text()
    assert (
        "Amina Khan changed the summary from 'Halve smoking by 2030.' to "
        "'Halve smoking by 2028, starting with pregnant women.'" in history
    )
    assert (
        "Ben Okafor changed the summary from 'Halve smoking by 2028, starting with pregnant "
        "women.' to 'Halve smoking by 2030 in the most deprived wards first.'" in history
    )
    assert "Amina Khan created this programme" in history
    assert_accessible(ben, "programme-history")
    ben.context.close()
    amina.context.close()


def test_a_programme_lead_is_refused_another_leads_edit_page(people, programme_url):
    carys = people["carys"]()
    assert carys.goto(programme_url + "/edit").status == 403
    assert carys.goto(programme_url).status == 200  # but may read it
    carys.context.close()


def test_publish_then_the_public_sees_it_and_the_change_log_has_it(
    served_app, people, programme_url
):
    anonymous = people["amina"]()
    anonymous.context.clear_cookies()
    anonymous.goto(served_app + "/programmes/")
    assert "Smokefree Coventry" not in anonymous.content()

    amina = people["amina"]()
    amina.goto(served_app + "/workspace/programmes/")
    assert_accessible(amina, "programme-list")
    amina.get_by_role("link", name="Smokefree Coventry").click()
    amina.get_by_role("button", name="Publish").click()
    assert "published" in amina.get_by_test_id("message").inner_text()
    assert amina.get_by_test_id("publication-state").inner_text() == "Published"
    assert_accessible(amina, "programme-published")

    anonymous.goto(served_app + "/programmes/")
    expect(anonymous.get_by_role("cell", name="Smokefree Coventry")).to_be_visible()
    assert_accessible(anonymous, "public-programmes")

    erin = people["erin"]()
    change_log = erin.goto(served_app + "/workspace/changes/")
    assert (change_log.status, erin.url) == (200, served_app + "/workspace/changes/")
    erin.get_by_label("Kind of item").select_option(label="Programme")
    erin.get_by_role("button", name="Filter").click()
    changes = erin.get_by_test_id("changes").inner_text()
    assert "Amina Khan published this programme" in changes
    assert_accessible(erin, "change-log")
    assert amina.goto(served_app + "/workspace/changes/").status == 403
    for page in (anonymous, amina, erin):
        page.context.close()
