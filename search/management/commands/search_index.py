"""``manage.py search_index rebuild|check|retry``: rebuild the search index without
downtime, report how it differs from the database, or write the updates that failed
while Elasticsearch did not answer."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from elasticsearch import ApiError, TransportError
from tqdm import tqdm

from search.backlog import backlog_size
from search.indexing import IndexingError, backlog_retry, index_alias, index_check, index_rebuild

SHOWN = 20


class Command(BaseCommand):
    help = (
        "rebuild: fill a new versioned index from the database and move the alias to it "
        "(searches keep answering meanwhile). check: list documents missing, extra or stale; "
        "exits 1 when the index is not in sync or Elasticsearch cannot be reached. retry: write the "
        "updates kept while Elasticsearch did not answer (exits 1 if it still does not)."
    )

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["rebuild", "check", "retry"])
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, subcommand, no_progress=False, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("ELASTICSEARCH_URL is not set: search uses the database and has no index.")
        try:
            if subcommand == "rebuild":
                self._rebuild(progress=not no_progress)
            elif subcommand == "retry":
                self._retry(progress=not no_progress)
            else:
                self._check()
        except (TransportError, ApiError) as error:
            raise CommandError(
                f"Elasticsearch at {settings.ELASTICSEARCH_URL} did not answer: {error.__class__.__name__}."
            ) from None
        except IndexingError as error:
            raise CommandError(str(error)) from None

    def _rebuild(self, *, progress: bool) -> None:
        count = 0
        with tqdm(file=sys.stderr, disable=not progress, unit="doc", desc="search index",
                  dynamic_ncols=True) as bar:

            def advance(done: int, total: int) -> None:
                nonlocal count
                bar.total = total
                bar.update(done - count)
                count = done

            name = index_rebuild(progress=advance)
        self.stdout.write(f"Rebuilt {name} with {count} documents; alias {index_alias()} points to it.")

    def _retry(self, *, progress: bool) -> None:
        written = 0
        with tqdm(file=sys.stderr, disable=not progress, unit="doc", desc="search backlog",
                  total=backlog_size(), dynamic_ncols=True) as bar:
            while batch := backlog_retry():
                written += batch
                bar.update(batch)
        left = backlog_size()  # entries other workers held, or added meanwhile
        self.stdout.write(f"Wrote {written} pending updates to the search index"
                          + (f"; {left} are being written by another process." if left else "."))

    def _check(self) -> None:
        waiting = backlog_size()
        if waiting:
            self.stdout.write(f"{waiting} updates wait to be retried: run `manage.py search_index retry`.")
        result = index_check()
        for label, ids in (("missing", result.missing), ("extra", result.extra), ("stale", result.stale)):
            if ids:
                shown = ", ".join(ids[:SHOWN]) + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")
                self.stdout.write(f"{label} ({len(ids)}): {shown}")
        if not result.in_sync:
            raise CommandError(
                f"The search index is out of sync: {len(result.missing)} missing, {len(result.extra)} extra, "
                f"{len(result.stale)} stale of {result.expected} documents. Run `manage.py search_index rebuild`."
            )
        self.stdout.write(f"The search index is in sync: {result.indexed} documents.")
