"""``manage.py attribution_report``: json, csv and table output and its refusals."""

import csv
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.content.test_reports import world  # noqa: F401 - the shared data fixture

pytestmark = pytest.mark.django_db

RANGE = ["--since", "2025-03-01", "--until", "2025-03-31"]


def run(*args):
    out = io.StringIO()
    call_command("attribution_report", *args, stdout=out)
    return out.getvalue()


def test_json_prints_only_the_rows_with_money_as_strings(world):  # noqa: F811
    rows = json.loads(run(*RANGE, "--format", "json"))

    assert [{key: row[key] for key in ("key", "label", "model", "clicks", "orders", "revenue",
                                       "direct_revenue", "assisted_revenue")} for row in rows] == [
        {"key": str(world["kettles"].pk), "label": "Best kettles", "model": "last_touch", "clicks": 3, "orders": 1,
         "revenue": "100.00", "direct_revenue": "80.00", "assisted_revenue": "20.00"},
        {"key": str(world["tea"].pk), "label": "Tea for two", "model": "last_touch", "clicks": 2, "orders": 1,
         "revenue": "50.00", "direct_revenue": "50.00", "assisted_revenue": "0.00"},
        {"key": "unattributed", "label": "Direct / unattributed", "model": "last_touch", "clicks": 0, "orders": 1,
         "revenue": "30.00", "direct_revenue": "0.00", "assisted_revenue": "30.00"},
    ]
    assert rows[0]["ctr"] == "6.00" and rows[0]["revenue_per_1000_views"] == "500.00"


def test_json_follows_model_status_and_grouping(world):  # noqa: F811
    rows = json.loads(run(*RANGE, "--format", "json", "--model", "linear", "--by", "author", "--status", "placed"))

    assert [(row["label"], row["model"], row["revenue"]) for row in rows] == [
        ("Bo", "linear", "100.00"), ("Ann", "linear", "50.00"), ("Direct / unattributed", "linear", "30.00"),
    ]
    blocks = json.loads(run(*RANGE, "--format", "json", "--by", "block"))
    assert [row["key"] for row in blocks] == ["product_card", "product_grid", "unattributed"]


def test_csv_prints_the_header_and_the_rows(world):  # noqa: F811
    rows = list(csv.reader(io.StringIO(run(*RANGE, "--format", "csv", "--by", "campaign"))))

    assert rows[0][:7] == ["Campaign (UTM)", "Views", "Impressions", "Clicks", "CTR", "Orders", "Revenue"]
    assert [(row[0], row[6]) for row in rows[1:]] == [
        ("spring", "100.00"), ("(no campaign)", "50.00"), ("Direct / unattributed", "30.00"),
    ]


def test_table_aligns_columns_and_ends_with_the_total(world):  # noqa: F811
    lines = run(*RANGE).splitlines()

    assert lines[0].split()[:2] == ["Article", "Views"]
    assert lines[2].startswith("Best kettles ")
    assert lines[-1].split()[0] == "Total" and "180.00" in lines[-1]
    assert len({line.index("Views") for line in lines[:1]}) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--model", "u_shaped"], "Unknown --model 'u_shaped'"),
    (["--since", "2025-13-01"], "--since must be a date as YYYY-MM-DD"),
    (["--since", "2025-03-31", "--until", "2025-03-01"], "--since 2025-03-31 is after --until 2025-03-01."),
    (["--by", "weather"], "Unknown --by 'weather'"),
    (["--status", "shipped"], "Unknown --status 'shipped'"),
    (["--format", "yaml"], "Unknown --format 'yaml'"),
])
def test_bad_arguments_raise_one_readable_line(args, message):
    with pytest.raises(CommandError) as error:
        run(*args)

    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_bad_arguments_exit_non_zero_from_the_shell():
    result = subprocess.run(
        [sys.executable, "manage.py", "attribution_report", "--model", "nope"],
        capture_output=True, text=True, check=False,
    )

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: Unknown --model 'nope'; choose one of last_touch, first_touch, linear, time_decay, position_based."
    ]
