from django.core.management.base import BaseCommand

from healthgap.accounts import services


class Command(BaseCommand):
    help = "Delete the demo users (their passwords are public), as `check --deploy` asks."

    def handle(self, *args, **options):
        count = services.delete_demo_users()
        self.stdout.write(f"Deleted {count} demo user(s).")
