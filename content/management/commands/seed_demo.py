"""``manage.py seed_demo``: fill a development database with a browsable magazine."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.demo.services import DemoSeedError, demo_logins, demo_seed


class Command(BaseCommand):
    help = (
        "Create demo categories, brands, products with Pillow-drawn pictures, articles in "
        "Chinese and English, and admin/editor/marketer accounts. Safe to run again. Dev only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Run even when DEBUG is off. It creates users with known passwords: never on production.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, force=False, no_progress=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with known passwords, so it only runs with DEBUG on "
                "(or with --force on a throwaway database)."
            )
        try:
            demo_seed(stdout=self.stdout, progress=not no_progress, progress_file=sys.stderr)
        except DemoSeedError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("  Site:  http://127.0.0.1:8000/")
        self.stdout.write("  Admin: http://127.0.0.1:8000/admin/")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<9} / {login.password:<15} {login.can}")
