"""``healthgap export <file.csv|file.xlsx>``: indicator values in Fingertips' export layout."""

import getpass
import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from healthgap.constants import SECURITY_LOGGER
from healthgap.ingest.export import select_values, write_csv, write_xlsx

security_log = logging.getLogger(SECURITY_LOGGER)


class Command(BaseCommand):
    help = "Write indicator values as a Fingertips-layout CSV or XLSX (filter by code/area/period)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--indicator", action="append", help="indicator code (repeatable)")
        parser.add_argument("--area", action="append", help="area GSS code (repeatable)")
        parser.add_argument("--period", action="append", help="period label (repeatable)")

    def handle(self, *args, file, indicator, area, period, **options):
        values = select_values(indicator, area, period)
        suffix = file.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError("the file name must end in .csv or .xlsx")
        count = (write_xlsx if suffix == ".xlsx" else write_csv)(values, file)
        # The export reads the database directly: figures are not suppressed for publication.
        security_log.info(
            "%s exported %s unsuppressed values to %s", getpass.getuser(), count, file.resolve()
        )
        self.stdout.write(f"{file}: {count:,} values")
