"""The delivery plan's workspace pages on the example plans (real demo indicator data): who
may see and change what, targets set through the form, and the board report produced as a
stored HTML and PDF snapshot whose text (pdftotext) holds every priority and the SVG charts."""

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from healthgap.constants import Role
from healthgap.delivery.models import (
    BoardReport,
    Milestone,
    OutcomeMeasure,
    Programme,
    Strategy,
    TargetKind,
)
from healthgap.demo.delivery import CLOSING_THE_GAP, load_demo_plans
from tests.publishing.people import person

# Coventry, England and the upper-tier authorities come from the demo.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]


@pytest.fixture
def leicester():
    load_demo_plans(report=lambda *_: None)
    return Strategy.private_objects.get(name=CLOSING_THE_GAP)


@pytest.fixture
def team():
    return {
        "analyst": person("amina", "Amina Khan", Role.ANALYST),
        "lead": person("ben", "Ben Okafor", Role.PROGRAMME_LEAD),
        "member": person("dev", "Dev Patel", Role.BOARD_MEMBER),
    }


def _client(client, user):
    client.force_login(user)
    return client


def test_the_example_plan_is_labelled_and_every_priority_listed(client, team, leicester):
    page = _client(client, team["member"]).get(leicester.get_absolute_url())
    text = page.content.decode()
    assert "Example data." in text
    for priority in leicester.priorities.all():
        assert priority.name in text
    assert "Produce the board performance report" in text


def test_signed_out_visitors_are_sent_to_sign_in(client, leicester):
    assert client.get(leicester.get_absolute_url()).status_code == 302


def test_an_analyst_sets_a_target_and_sees_its_trajectory(client, team, leicester):
    measure = OutcomeMeasure.objects.get(priority__strategy=leicester, indicator_id="108")
    form = {
        "version": measure.version,
        "baseline_period": measure.baseline_period_id,
        "target_kind": TargetKind.VALUE,
        "target_input": "300",
        "target_date": "2029-12-31",
        "frequency": "yearly",
        "shape": "linear",
        "is_mortality": "on",
        "cause_group": "all",
    }
    url = reverse("plan:measure_target", args=[measure.pk])
    response = _client(client, team["analyst"]).post(url, form)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.target_value == 300
    assert measure.trajectory.last().due == date(2029, 12, 31)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "300.0 by 31 December 2029: A value of 300.0" in page
    assert "Under 75 mortality rate from all causes" in page and 'data-testid="trajectory"' in page
    # Its deaths to avert come from Leicester's ONS deaths by age band, shown band by band.
    assert 'data-testid="deaths-by-band"' in page and "70-74" in page


def test_a_wrong_way_target_is_shown_as_an_error_and_nothing_is_saved(client, team, leicester):
    measure = OutcomeMeasure.objects.get(priority__strategy=leicester, indicator_id="108")
    before = (measure.target_value, measure.version)
    form = {"version": measure.version, "target_kind": TargetKind.VALUE, "target_input": "500",
            "target_date": "2029-12-31", "frequency": "yearly", "shape": "linear",
            "baseline_period": measure.baseline_period_id, "cause_group": "all"}  # fmt: skip
    url = reverse("plan:measure_target", args=[measure.pk])
    page = _client(client, team["analyst"]).post(url, form).content.decode()
    assert "Lower is better for this indicator, but the target (500.0) is not below" in page
    measure.refresh_from_db()
    assert (measure.target_value, measure.version) == before


def test_a_programme_lead_cannot_set_targets_or_touch_another_leads_programme(
    client, team, leicester
):
    measure = OutcomeMeasure.objects.filter(priority__strategy=leicester).first()
    lead = _client(client, team["lead"])
    assert lead.get(reverse("plan:measure_target", args=[measure.pk])).status_code == 403
    example = Programme.private_objects.filter(priorities__strategy=leicester).first()
    response = lead.post(
        reverse("delivery:update_new", args=[example.pk]), {"commentary": "Not mine."}
    )
    assert response.status_code == 403
    milestone = Milestone.objects.filter(programme=example).first()
    assert lead.get(reverse("delivery:milestone_edit", args=[milestone.pk])).status_code == 403


def _pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is not installed: run `make browser` (poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return done.stdout


def test_a_board_member_produces_the_report_as_a_snapshot_that_never_changes(
    client, team, leicester, tmp_path
):
    member = _client(client, team["member"])
    response = member.post(reverse("plan:report_new", args=[leicester.pk]))
    snapshot = BoardReport.private_objects.get(strategy=leicester)
    assert response.url == snapshot.get_absolute_url()
    pdf = member.get(reverse("plan:report_pdf", args=[snapshot.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content, tmp_path)
    for priority in leicester.priorities.all():
        assert priority.name in text
    # Text drawn inside the SVG charts (axis titles), not written anywhere else in the report.
    assert "End of period" in text
    assert "Deaths to avert" in text and "Overdue milestones" in text
    assert 'src="data:image/svg+xml;base64,' in snapshot.html

    stored = (snapshot.html, bytes(snapshot.pdf))
    measure = OutcomeMeasure.objects.filter(priority__strategy=leicester).first()
    measure.priority.name = "Renamed after the board met"
    measure.priority.save()
    snapshot.refresh_from_db()
    assert (snapshot.html, bytes(snapshot.pdf)) == stored
    shown = member.get(snapshot.get_absolute_url()).content.decode()
    assert "Renamed after the board met" not in shown


def test_the_whole_plan_exports_to_xlsx(client, team, leicester, tmp_path):
    from openpyxl import load_workbook

    response = _client(client, team["member"]).get(
        reverse("plan:strategy_xlsx", args=[leicester.pk])
    )
    path = tmp_path / "plan.xlsx"
    path.write_bytes(response.content)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Measures", "Trajectories", "Programmes", "Milestones"]
    measures = list(workbook["Measures"].iter_rows(values_only=True))
    assert len(measures) == 1 + OutcomeMeasure.objects.filter(priority__strategy=leicester).count()
    assert {row[0] for row in measures[1:]} == set(
        leicester.priorities.values_list("name", flat=True)
    )
    assert (
        workbook["Milestones"].max_row
        == 1 + Milestone.objects.filter(programme__priorities__strategy=leicester).count()
    )
