"""``manage.py attribution rebuild --since YYYY-MM-DD``: recompute attribution credits and
the daily roll-ups. ``manage.py attribution rollup``: roll up the closed days (run it from
cron after 01:00; reports roll a few days themselves when it has not run)."""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shop.attribution.rollups import rollups_advance, rollups_rebuild
from shop.attribution.services import credits_rebuild


class Command(BaseCommand):
    help = "Attribution maintenance. `rebuild --since YYYY-MM-DD` recomputes credits deterministically."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{rebuild,rollup}")
        rebuild = subcommands.add_parser(
            "rebuild",
            help="Recompute the credits of every order placed on or after a date (site time zone); "
            "running it twice gives the same rows.",
        )
        rebuild.add_argument("--since", required=True, metavar="YYYY-MM-DD", help="First day, site time zone.")
        rebuild.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")
        subcommands.add_parser(
            "rollup",
            help="Roll up every closed day not rolled up yet and recompute the days whose orders changed.",
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "rebuild":
            self._rebuild(since=options["since"], progress=not options["no_progress"])
        elif subcommand == "rollup":
            days = rollups_advance()
            self.stdout.write(f"Rolled up {len(days)} days." + (f" ({days[0]} to {days[-1]})" if days else ""))

    def _rebuild(self, *, since: str, progress: bool) -> None:
        try:
            first_day = date.fromisoformat(since)
        except ValueError:
            raise CommandError(f"--since must be a date written YYYY-MM-DD, not {since!r}.") from None
        with tqdm(file=sys.stderr, disable=not progress, unit="order", desc="credits", dynamic_ncols=True) as bar:

            def advance(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            count = credits_rebuild(since=first_day, progress=advance)
        days = rollups_rebuild()
        self.stdout.write(f"Rebuilt credits for {count} orders and the roll-ups of {len(days)} days.")
