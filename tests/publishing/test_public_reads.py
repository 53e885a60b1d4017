"""Public code reads publishable models only through ``public_objects``: every other manager
(and every reverse relation to them) could show a draft or a withdrawn item."""

from healthgap.delivery.models import Programme
from healthgap.publishing import public_code
from tests.conftest import REPO_ROOT

BAD_READS = """
from healthgap.delivery.models import Programme as Plan
from healthgap.delivery import models

def page(request):
    fine = Programme.public_objects.filter(status="on_track")
    everything = Programme.objects.all()
    drafts = Plan.private_objects.all()
    default = models.Programme._default_manager.all()
    base = Programme._base_manager.count()
    mine = request.user.led_programmes.all()
    one = get_object_or_404(Programme, pk=1)
"""


def test_public_code_reads_publishable_models_only_through_public_objects():
    assert Programme in public_code.publishable_models()
    checked = {str(p.relative_to(REPO_ROOT)) for p in public_code.public_files(REPO_ROOT)}
    assert "healthgap/web/programmes.py" in checked
    found = public_code.private_reads_in_public_code(REPO_ROOT)
    assert found == [], "drafts could leak through:\n" + "\n".join(map(str, found))


def test_the_check_finds_every_kind_of_private_read_with_its_line():
    publishable = public_code.publishable_models()
    managers = public_code.related_managers(publishable)
    assert "led_programmes" in managers
    found = public_code.private_reads(BAD_READS, "bad.py", {"Programme"}, managers)
    assert [str(read) for read in found] == [
        "bad.py:7: Programme.objects",
        "bad.py:8: Plan.private_objects",
        "bad.py:9: models.Programme._default_manager",
        "bad.py:10: Programme._base_manager",
        "bad.py:11: request.user.led_programmes",
        "bad.py:12: get_object_or_404",
    ]


def test_workspace_pages_inside_web_are_not_public(tmp_path):
    (tmp_path / "healthgap" / "web" / "workspace").mkdir(parents=True)
    (tmp_path / "healthgap" / "web" / "workspace" / "views.py").write_text("")
    (tmp_path / "healthgap" / "web" / "views.py").write_text("")
    files = [p.relative_to(tmp_path).as_posix() for p in public_code.public_files(tmp_path)]
    assert files == ["healthgap/web/views.py"]
