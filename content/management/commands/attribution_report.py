"""``manage.py attribution_report``: a report table for scripts (json, csv) or people
(table). Same rows and definitions as the admin's reports (see ``content.reports``)."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from content.reports import MODEL_CHOICES, ReportQuery, default_range, report_table
from content.reports.exports import table_csv

#: ``--by`` values; "block" is the block type. position and category are extras.
BY = {"article": "article", "block": "block_type", "author": "author", "campaign": "campaign",
      "curator": "curator", "category": "category", "position": "position"}
STATUSES = ("paid", "placed", "all")
FORMATS = ("table", "csv", "json")


def _date(value: str, flag: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{flag} must be a date as YYYY-MM-DD, not {value!r}.") from None


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _number(value) -> str | None:
    return None if value is None else f"{value:.2f}"


class Command(BaseCommand):
    help = (
        "Print an attribution report. Dates are in the site's time zone, both days included "
        "(default: the last 30 days). --status paid: paid, shipped, delivered or refunded orders "
        "(refunds subtract); placed: every order except cancelled ones; all: cancelled too. "
        "json prints only a list of rows (money as strings), the unattributed row included; "
        "csv prints the header and the rows; table adds the totals line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--model", default="last_touch", help="|".join(value for value, _label in MODEL_CHOICES))
        parser.add_argument("--since", help="YYYY-MM-DD, first day included")
        parser.add_argument("--until", help="YYYY-MM-DD, last day included")
        parser.add_argument("--by", default="article", help="|".join(BY))
        parser.add_argument("--status", default="paid", help="|".join(STATUSES))
        parser.add_argument("--format", default="table", help="|".join(FORMATS))

    def handle(self, *args, **options):
        query = self._query(options)
        table = report_table(query)
        output = options["format"]
        if output == "json":
            self.stdout.write(json.dumps([self._json_row(row) for row in table.rows], ensure_ascii=False, indent=2))
        elif output == "csv":
            self.stdout.write(table_csv(table, with_total=False), ending="")
        else:
            self.stdout.write(self._text_table(table))

    def _query(self, options) -> ReportQuery:
        models = [value for value, _label in MODEL_CHOICES]
        if options["model"] not in models:
            raise CommandError(f"Unknown --model {options['model']!r}; choose one of {', '.join(models)}.")
        if options["by"] not in BY:
            raise CommandError(f"Unknown --by {options['by']!r}; choose one of {', '.join(BY)}.")
        if options["status"] not in STATUSES:
            raise CommandError(f"Unknown --status {options['status']!r}; choose one of {', '.join(STATUSES)}.")
        if options["format"] not in FORMATS:
            raise CommandError(f"Unknown --format {options['format']!r}; choose one of {', '.join(FORMATS)}.")
        default_since, default_until = default_range()
        since = _date(options["since"], "--since") if options["since"] else default_since
        until = _date(options["until"], "--until") if options["until"] else default_until
        if since > until:
            raise CommandError(f"--since {since} is after --until {until}.")
        return ReportQuery(by=BY[options["by"]], since=since, until=until, model=options["model"], status=options["status"])

    @staticmethod
    def _json_row(row) -> dict:
        return {
            "key": row.key,
            "label": row.label,
            "model": row.model,
            "views": row.views,
            "impressions": row.impressions,
            "clicks": row.clicks,
            "ctr": _number(row.ctr),
            "orders": row.orders,
            "revenue": _money(row.revenue),
            "direct_revenue": _money(row.direct_revenue),
            "assisted_revenue": _money(row.assisted_revenue),
            "conversion_rate": _number(row.conversion_rate),
            "average_order_value": _money(row.average_order_value),
            "revenue_per_1000_views": _money(row.revenue_per_1000_views),
        }

    @staticmethod
    def _text_table(table) -> str:
        lines = [table.header(), *[[cell.text for cell in cells] for _row, cells in table.lines()]]
        widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
        text = []
        for number, line in enumerate(lines):
            text.append("  ".join(
                value.ljust(width) if i == 0 else value.rjust(width) for i, (value, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip())
            if number == 0 or number == len(lines) - 2:
                text.append("  ".join("-" * width for width in widths))
        return "\n".join(text)
