"""Index updates Elasticsearch did not take, kept in the database until it answers again.

An update that fails (``search.tasks``) records the ids it was given
(``backlog_add``). The next update that succeeds, in any process, writes them too, and
so does ``manage.py search_index retry`` (for a cron job or after an outage); see
``search.indexing.backlog_retry``. A rebuild drops every entry that was there when it
started reading the database (``backlog_mark`` / ``backlog_forget``).
"""

from __future__ import annotations

from django.db.models import Max

from search.models import PendingUpdate

ID_NAMES = {
    PendingUpdate.Kind.ARTICLE: "article_ids",
    PendingUpdate.Kind.SKU: "sku_ids",
    PendingUpdate.Kind.PRODUCT: "product_ids",
}


def backlog_add(*, article_ids=(), sku_ids=(), product_ids=()) -> None:
    """Keep these ids for a later retry (each document once, however often it failed)."""
    given = {"article_ids": article_ids, "sku_ids": sku_ids, "product_ids": product_ids}
    PendingUpdate.objects.bulk_create(
        [PendingUpdate(kind=kind, object_id=pk) for kind, name in ID_NAMES.items() for pk in sorted(set(given[name]))],
        ignore_conflicts=True,
    )


def backlog_pending() -> bool:
    """Whether any update waits to be retried (one indexed query)."""
    return PendingUpdate.objects.exists()


def backlog_size() -> int:
    return PendingUpdate.objects.count()


def backlog_mark() -> int:
    """The newest entry now. An entry is added after the change it stands for was
    committed, so every entry up to the mark stands for a change that a database read
    from now on sees."""
    return PendingUpdate.objects.aggregate(newest=Max("pk"))["newest"] or 0


def backlog_forget(*, through: int) -> int:
    """Drop the entries up to ``through`` (a ``backlog_mark``); returns how many."""
    deleted, _ = PendingUpdate.objects.filter(pk__lte=through).delete()
    return deleted
