"""``healthgap import_moderngov <committee id> <file> ...``: meetings, attendance and agenda items
from saved ModernGov GetMeetings / GetMeeting answers (see ``healthgap.board.moderngov``)."""

import csv
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from healthgap.board import moderngov
from healthgap.board.models import Committee, Theme
from healthgap.board.services import BoardError


def read_themes(path: Path | None) -> dict[str, str]:
    """A CSV of ``title,theme`` rows giving imported agenda items their themes."""
    if path is None:
        return {}
    with open(path, encoding="utf-8") as handle:
        themes = {row["title"]: row["theme"] for row in csv.DictReader(handle)}
    # A strategy priority is chosen on the item's page: the file gives the fixed themes only.
    fixed = set(Theme.values) - {Theme.PRIORITY}
    unknown = sorted(set(themes.values()) - fixed)
    if unknown:
        raise CommandError(
            f"{path.name}: {', '.join(unknown)} not a theme; use one of {', '.join(sorted(fixed))}."
        )
    return themes


class Command(BaseCommand):
    help = (
        "Import a committee's meetings from ModernGov web service XML files. Every file is "
        "checked first; any problem loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("committee", type=int, help="the committee's id in healthgap")
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--themes", type=Path, help="CSV of title,theme for agenda items")
        parser.add_argument("--user", help="the user name the import is recorded under")

    def handle(self, committee, files, themes, user, **options):
        found = Committee.objects.filter(pk=committee).first()
        if found is None:
            raise CommandError(f"No committee with id {committee}.")
        who = get_user_model().objects.filter(username=user).first() if user else None
        try:
            meetings = moderngov.import_files(found, files, who, read_themes(themes))
        except BoardError as error:
            raise CommandError(f"{error} Nothing was loaded.") from error
        self.stdout.write(f"{found}: {len(meetings)} meetings from {len(files)} files.")
