"""The `xieshang` command: Django's manage.py plus `xieshang textintel …`."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a management command (`xieshang demo`, `xieshang worker`, `xieshang migrate` …)."""
    argv = list(sys.argv)
    if len(argv) > 1 and argv[1] in ("textintel", "extract"):
        # The text-intelligence package is plain Python and needs no Django set-up;
        # `xieshang extract PATH` is short for `xieshang textintel extract PATH`.
        from xieshang.textintel.cli import main as textintel_main

        sys.exit(textintel_main(argv[2:] if argv[1] == "textintel" else argv[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
