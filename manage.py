#!/usr/bin/env python
"""Django's command-line entry point for Haowu.

The project configuration lives in the folder ``site/``; its importable package is
``haowu`` (a package named ``site`` would clash with the standard library's ``site``
module, which Python imports at start-up). This script puts ``site/`` on the path.
"""

import os
import sys
from pathlib import Path


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haowu.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
