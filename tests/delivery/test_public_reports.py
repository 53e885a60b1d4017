"""The public page of the boards' performance reports: a report produced in the workspace is
on the public site only once published (list, page, PDF read back with pdftotext), linked from
the public programmes page, and disappears when withdrawn, from the page, the PDF and the list's
JSON twin alike."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from healthgap.constants import Role
from healthgap.delivery.models import Strategy
from healthgap.publishing import services as publishing
from healthgap.web import delivery_report
from tests.factories import UpperTierFactory
from tests.publishing.people import person

pytestmark = pytest.mark.django_db

STRATEGY = "Coventry Marmot City (public report test)"


@pytest.fixture
def analyst():
    return person("amina", "Amina Khan", Role.ANALYST)


@pytest.fixture
def snapshot(analyst):
    strategy = publishing.create(Strategy(name=STRATEGY, area=UpperTierFactory()), analyst)
    return delivery_report.generate(strategy, analyst)


def _pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is not installed: run `make browser` (poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def _listed(client) -> list[str]:
    body = client.get(reverse("public_reports_format", args=["json"])).json()
    return [row["strategy"] for row in body["tables"]["reports"]]


def test_a_draft_report_is_not_on_the_public_site(client, snapshot):
    assert client.get(reverse("public_report", args=[snapshot.pk])).status_code == 404
    assert client.get(reverse("public_report_pdf", args=[snapshot.pk])).status_code == 404
    assert STRATEGY not in _listed(client)
    assert STRATEGY not in client.get(reverse("public_reports")).content.decode()


def test_a_published_report_is_listed_shown_and_downloadable(client, analyst, snapshot, tmp_path):
    publishing.publish(snapshot, analyst)
    programmes = client.get(reverse("programmes")).content.decode()
    assert f'href="{reverse("public_reports")}"' in programmes
    listing = client.get(reverse("public_reports")).content.decode()
    assert f'href="{reverse("public_report", args=[snapshot.pk])}"' in listing
    assert STRATEGY in _listed(client)
    page = client.get(reverse("public_report", args=[snapshot.pk])).content.decode()
    assert "Summary per priority" in page and STRATEGY in page
    pdf = client.get(reverse("public_report_pdf", args=[snapshot.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert f"{STRATEGY}: performance report" in _pdf_text(pdf.content, tmp_path).replace("\n", " ")


def test_a_withdrawn_report_disappears(client, analyst, snapshot):
    publishing.publish(snapshot, analyst)
    client.force_login(analyst)
    response = client.post(
        reverse("plan:report_withdraw", args=[snapshot.pk]), {"reason": "Figures corrected."}
    )
    assert response.url == snapshot.get_absolute_url()
    client.logout()
    assert client.get(reverse("public_report", args=[snapshot.pk])).status_code == 404
    assert client.get(reverse("public_report_pdf", args=[snapshot.pk])).status_code == 404
    assert STRATEGY not in _listed(client)


def test_withdrawing_needs_a_reason_and_keeps_the_report_public(client, analyst, snapshot):
    publishing.publish(snapshot, analyst)
    client.force_login(analyst)
    client.post(reverse("plan:report_withdraw", args=[snapshot.pk]), {"reason": ""})
    snapshot.refresh_from_db()
    assert snapshot.is_published
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert "Give the reason for withdrawing it" in page
