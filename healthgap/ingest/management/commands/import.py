"""``healthgap import <kind> <file>``: load an indicator file (see README.md for the kinds)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from healthgap.ingest import fingertips, local
from healthgap.ingest.errors import IngestError
from healthgap.ingest.values import os_user, run_by


def _population(path: Path, options) -> str:
    from healthgap.ingest import geography
    from healthgap.ingest.frames import read_header

    header = read_header(path)
    code = next((c for c in header if c.endswith("_code")), header[0])
    count = geography.load_single_year_population(path, code, options["year"])
    return f"{path.name}: {count:,} population counts ({options['year']}, by {code})"


def _gp(path: Path, options) -> str:
    from healthgap.ingest import practices

    return practices.import_gp_patients(path).describe()


def _gp_age_sex(path: Path, options) -> str:
    from healthgap.ingest import practice_age_sex

    return practice_age_sex.import_gp_patients_age_sex(path).describe()


def _deaths(path: Path, options) -> str:
    from healthgap.ingest import deaths

    return deaths.import_deaths(path, progress=options["progress"]).describe()


def _qof(path: Path, options) -> str:
    from healthgap.ingest import practices

    return "\n".join(result.describe() for result in practices.import_qof_workbook(path))


def _practice_register(path: Path, options) -> str:
    from healthgap.ingest import practice_register

    if options["mapping"] is None:
        raise CommandError("practice-register: give the QOF mapping file with --mapping")
    count = practice_register.import_practice_register(path, options["mapping"], options["imd"])
    return f"{path.name}: {count:,} practices"


def _qof_practices(path: Path, options) -> str:
    from healthgap.ingest import practice_register

    return practice_register.import_qof_practices(path, options["period"]).describe()


def _ethnic_groups(path: Path, options) -> str:
    from healthgap.ingest import ethnicity

    return ethnicity.import_ethnic_groups(path).describe()


def _metadata(path: Path, options) -> str:
    from healthgap.ingest import fingertips_metadata

    count = fingertips_metadata.import_fingertips_metadata(path)
    return f"{path.name}: metadata for {count:,} indicators"


def _modelled_prevalence(path: Path, options) -> str:
    from healthgap.ingest import modelled_prevalence

    if not options["name"]:
        raise CommandError("modelled-prevalence: name the estimate with --name")
    estimate = modelled_prevalence.import_modelled_prevalence(
        path, options["name"], options["source"] or ""
    )
    return f"{path.name}: modelled prevalence {estimate.name!r} ({', '.join(estimate.conditions)})"


KINDS = {
    "fingertips": lambda path, o: fingertips.import_fingertips_export(
        path, progress=o["progress"]
    ).describe(),
    "tdl": lambda path, o: fingertips.import_tidy_extract(
        path, o["indicator"], progress=o["progress"]
    ).describe(),
    "healthgap-csv": lambda path, o: local.import_local_csv(
        path, progress=o["progress"]
    ).describe(),
    "population": _population,
    "gp-patients": _gp,
    "gp-patients-age-sex": _gp_age_sex,
    "qof": _qof,
    "practice-register": _practice_register,
    "qof-practices": _qof_practices,
    "census-ethnic-group": _ethnic_groups,
    "fingertips-metadata": _metadata,
    "deaths": _deaths,
    "modelled-prevalence": _modelled_prevalence,
}


class Command(BaseCommand):
    help = (
        "Import an indicator file. Kinds: fingertips (Fingertips data export, CSV or XLSX), "
        "tdl (tidy Fingertips extract), healthgap-csv (local indicators), population "
        "(ONS single-year estimates), gp-patients (NHS Digital registered patients), "
        "gp-patients-age-sex (the same by practice, sex and five-year age band), qof "
        "(QOF CCG workbook), practice-register (ODS epraccur file, with --mapping and --imd), "
        "qof-practices (QOF practice registers and list sizes, --period), census-ethnic-group "
        "(Census 2021 TS021 by LSOA), fingertips-metadata (Fingertips indicator metadata export), "
        "deaths (record-level deaths extract: only counts are kept), modelled-prevalence "
        "(prevalence by condition, age band and sex for case finding, --name, --source). "
        "The whole file is checked first; a bad file loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--indicator", help="tdl: the Fingertips indicator ID, if unknown")
        parser.add_argument("--year", type=int, default=2019, help="population: mid-year")
        parser.add_argument("--mapping", type=Path, help="practice-register: QOF mapping file")
        parser.add_argument("--imd", type=Path, help="practice-register: Fingertips 93553 file")
        parser.add_argument("--period", default="2022/23", help="qof-practices: QOF year")
        parser.add_argument("--name", help="modelled-prevalence: the estimate's name")
        parser.add_argument("--source", help="modelled-prevalence: who modelled it, and when")
        parser.add_argument("--user", default=os_user(), help="who runs it (default: OS user)")

    def handle(self, *args, kind, file, **options):
        with tqdm(desc=f"reading {file.name}", unit="rows", disable=None, leave=False) as bar:
            options["progress"] = bar.update
            try:
                with run_by(name=options["user"]):
                    message = KINDS[kind](file, options)
            except IngestError as error:
                raise CommandError(error.summary()) from None
        self.stdout.write(message)
