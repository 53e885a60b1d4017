from django.core.management import call_command
from django.core.management.base import BaseCommand

from healthgap.demo.loader import load_demo
from healthgap.ingest.errors import IngestError


class Command(BaseCommand):
    help = "Create the database tables and load the bundled Coventry and Leicester demo data."

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write("Loading the demo data (running it again changes nothing):")
        try:
            load_demo(report=self.stdout.write)
        except IngestError as error:
            self.stderr.write(error.summary())
            raise SystemExit(1) from None
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
