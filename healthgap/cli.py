"""The ``healthgap`` command: Django's management commands with the settings already chosen.

``healthgap load-demo`` runs the ``load_demo`` command; ``healthgap help`` lists them all.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthgap.settings.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["healthgap", *args])


if __name__ == "__main__":
    main()
