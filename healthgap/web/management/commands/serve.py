import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve healthgap with gunicorn (several worker processes) at http://HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))

    def handle(self, *args, host, port, workers, **options):
        if settings.CHECK_DEPLOY_AT_START:
            # Refuses to start (SystemCheckError) with demo users or the demo secret key.
            call_command("check", deploy=True)
        self.stdout.write(f"healthgap at http://{host}:{port}/ (Ctrl+C to stop)")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "healthgap.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
        ]
        os.execv(sys.executable, command)
