"""GP practices made with factories, and NHS Digital's age-sex list file written by hand."""

import factory

from healthgap.areas.models import AreaType
from healthgap.practices.models import Practice, PracticeStatus
from tests.factories import AreaFactory, EnglandFactory

FIVE_YEAR_BANDS = [f"{start}_{start + 4}" for start in range(0, 95, 5)] + ["95+"]
AGE_SEX_HEADER = (
    "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,ORG_CODE,POSTCODE,SEX,AGE_GROUP_5,"
    "NUMBER_OF_PATIENTS"
)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice
        django_get_or_create = ("area",)

    area = factory.SubFactory(
        AreaFactory,
        code=factory.Sequence(lambda n: f"T{n:05d}"),
        area_type=AreaType.GP_PRACTICE,
        parent=factory.SubFactory(EnglandFactory),
    )
    status = PracticeStatus.ACTIVE
    postcode = "CV1 1AA"


def age_sex_rows(practice: str, males: list[int], females: list[int], date="01May2022"):
    """The rows of one practice in NHS Digital's layout: each sex's 20 bands and its ALL row,
    then ALL sexes of all ages."""
    lines = []
    for sex, counts in (("MALE", males), ("FEMALE", females)):
        for band, count in zip(FIVE_YEAR_BANDS, counts):
            lines.append(_line(date, practice, sex, band, count))
        lines.append(_line(date, practice, sex, "ALL", sum(counts)))
    lines.append(_line(date, practice, "ALL", "ALL", sum(males) + sum(females)))
    return lines


def _line(date, practice, sex, band, count) -> str:
    return f"GP_PRAC_PAT_LIST,{date},GP,03W,E38000097,{practice},LE1 1AA,{sex},{band},{count}"


def write_age_sex_file(path, lines: list[str]):
    path.write_text("\n".join([AGE_SEX_HEADER, *lines]) + "\n")
    return path
