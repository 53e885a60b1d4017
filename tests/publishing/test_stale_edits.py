"""Safe concurrent edits: a save from a stale form is refused, says who changed the item, when
and how, and keeps the editor's own text to save again deliberately."""

import datetime

import pytest

from healthgap.constants import Role
from healthgap.delivery.forms import ProgrammeForm
from healthgap.delivery.models import Programme
from healthgap.publishing import services
from tests.publishing.people import UTC, person, programme, set_last_change_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return person("amina", "Amina Khan", Role.ANALYST), person("ben", "Ben Okafor", Role.ANALYST)


def _form(item, **changes):
    """The edit form as posted by someone who opened it at ``item``'s version."""
    data = {
        "name": item.name,
        "summary": item.summary,
        "lead": item.lead_id or "",
        "lead_organisation_name": item.lead_organisation_name,
        "status": item.status,
        "start_date": "",
        "end_date": "",
        "version": item.version,
        **changes,
    }
    return ProgrammeForm(data, instance=Programme.private_objects.get(pk=item.pk))


def test_a_save_from_the_current_version_raises_it(people):
    amina, _ = people
    item = programme(amina)
    item.summary = "Halve smoking by 2028."
    services.save_versioned(item, amina, 1)
    assert Programme.private_objects.get(pk=item.pk).version == 2


def test_a_save_from_an_older_version_is_refused_and_changes_nothing(people):
    amina, ben = people
    item = programme(amina)
    stale = Programme.private_objects.get(pk=item.pk)  # Ben opens the form at version 1
    item.summary = "Amina's summary"
    services.save_versioned(item, amina, 1)

    stale.summary = "Ben's summary"
    with pytest.raises(services.StaleEdit) as refused:
        services.save_versioned(stale, ben, 1)
    stored = Programme.private_objects.get(pk=item.pk)
    assert (stored.summary, stored.version) == ("Amina's summary", 2)
    assert refused.value.by == "Amina Khan"
    assert refused.value.current_version == 2
    assert [(c.field, c.before, c.after) for c in refused.value.changes] == [
        ("summary", "Halve smoking by 2030.", "Amina's summary")
    ]


@pytest.mark.parametrize(
    "moment, words",
    [
        # The example; 3 March is in GMT, so 10:04 UTC is 10:04 in London.
        (datetime.datetime(2026, 3, 3, 10, 4, tzinfo=UTC), "10:04 on 3 March 2026"),
        # In British Summer Time London is an hour ahead of UTC.
        (datetime.datetime(2026, 7, 1, 9, 15, tzinfo=UTC), "10:15 on 1 July 2026"),
    ],
)
def test_the_refusal_says_who_changed_it_and_when_in_london_time(people, moment, words):
    amina, ben = people
    item = programme(ben)
    first = _form(item, summary="Ben's first go")
    amina_form = _form(item, summary="Amina's change")
    assert amina_form.is_valid() and amina_form.save_checked(amina)
    set_last_change_time(item, moment)

    assert first.is_valid()
    assert first.save_checked(ben) is None
    assert first.non_field_errors() == [
        f"Amina Khan changed this programme at {words} while you were editing"
    ]


def test_a_refused_form_keeps_the_text_shows_their_change_and_saves_on_the_second_try(people):
    amina, ben = people
    item = programme(amina, status="on_track")
    ben_form = _form(item, summary="Ben's careful rewrite", status="at_risk")
    amina_form = _form(item, summary="Amina's quick fix")
    assert amina_form.is_valid() and amina_form.save_checked(amina)

    assert ben_form.is_valid() and ben_form.save_checked(ben) is None
    assert ben_form["summary"].value() == "Ben's careful rewrite"
    assert ben_form["status"].value() == "at_risk"
    assert ben_form["version"].value() == "2"
    assert [(c.field, c.before, c.after) for c in ben_form.stale.changes] == [
        ("summary", "Halve smoking by 2030.", "Amina's quick fix")
    ]

    again = ProgrammeForm(ben_form.data, instance=Programme.private_objects.get(pk=item.pk))
    assert again.is_valid() and again.save_checked(ben)
    stored = Programme.private_objects.get(pk=item.pk)
    assert (stored.summary, stored.status, stored.version) == (
        "Ben's careful rewrite",
        "at_risk",
        3,
    )
