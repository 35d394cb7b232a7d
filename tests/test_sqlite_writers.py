"""The demo's SQLite database queues concurrent writers instead of failing one of them."""

import time

import pytest
from django.db import connection, connections, transaction

from tests.concurrency import run_in_threads

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking (the demo database)"),
]


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """The project's SQLite settings on a file, as `make run` uses them (the test database
    lives in memory, where SQLite locks differently); no test database is involved."""
    alias = "sqlite_file"
    connections.settings[alias] = {**connections.settings["default"], "NAME": str(tmp_path / "demo.sqlite3")}
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER)")
        connections[alias].close()
        yield alias
    connections[alias].close()
    del connections.settings[alias]


def test_two_requests_that_read_then_write_at_once_both_succeed(sqlite_file):
    # given two requests whose transactions read a row first and write later (a checkout)
    def read_then_write(i):
        try:
            with transaction.atomic(using=sqlite_file), connections[sqlite_file].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM counter")
                seen = cursor.fetchone()[0]
                time.sleep(0.3)  # the other request starts meanwhile
                cursor.execute("INSERT INTO counter (n) VALUES (%s)", [seen])
                return seen
        finally:
            connections[sqlite_file].close()

    # when they run at the same time
    results, errors = run_in_threads(2, read_then_write)

    # then neither fails with "database is locked": the second waited for the first
    assert errors == []
    assert sorted(results) == [0, 1]
