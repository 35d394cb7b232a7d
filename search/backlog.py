"""Index updates Elasticsearch did not take, kept in the database until it answers again.

An update that fails (``search.tasks``) records the ids it was given
(``backlog_add``). The next update that succeeds, in any process, writes a batch of
them too, and ``manage.py search_index retry`` writes all of them (for a cron job or
after an outage); see ``search.indexing.backlog_retry``. A rebuild drops every entry
that was there when it started reading the database (``backlog_mark`` /
``backlog_forget``).

A retry claims a batch in a short transaction (``SKIP LOCKED``, so workers retrying
at once take different rows), writes it with no row locked, then deletes exactly the
rows it claimed; a retry that fails hands them back, and a worker that dies holding a
claim loses it after ``CLAIM_SECONDS``. A document that fails again meanwhile gets a
new row (``backlog_add`` replaces the old one), so the retry, which may have read it
before that change, cannot delete it.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from search.models import PendingUpdate

ID_NAMES = {
    PendingUpdate.Kind.ARTICLE: "article_ids",
    PendingUpdate.Kind.SKU: "sku_ids",
    PendingUpdate.Kind.PRODUCT: "product_ids",
}
# A claim older than this belongs to a retry that died: well past the longest bulk
# request a retry makes (search.indexing.UPDATE_TIMEOUT_SECONDS).
CLAIM_SECONDS = 300


@transaction.atomic
def backlog_add(*, article_ids=(), sku_ids=(), product_ids=()) -> None:
    """Keep these ids for a later retry, each document once: a new row replaces the
    document's earlier one (whose retry may be under way with older data)."""
    given = {"article_ids": set(article_ids), "sku_ids": set(sku_ids), "product_ids": set(product_ids)}
    condition = Q()
    for kind, name in ID_NAMES.items():
        if given[name]:
            condition |= Q(kind=kind, object_id__in=given[name])
    if not condition:
        return
    PendingUpdate.objects.filter(condition).delete()
    PendingUpdate.objects.bulk_create(
        [PendingUpdate(kind=kind, object_id=pk) for kind, name in ID_NAMES.items() for pk in sorted(given[name])],
        ignore_conflicts=True,  # another process recorded the same failure at the same moment
    )


def backlog_pending() -> bool:
    """Whether any update waits to be retried (one indexed query)."""
    return PendingUpdate.objects.exists()


def backlog_size() -> int:
    return PendingUpdate.objects.count()


def backlog_claim(*, batch: int) -> tuple[list[int], dict[str, list[int]]]:
    """Up to ``batch`` unclaimed entries, now claimed: (their row ids, the ids to pass
    to ``documents_update``). Empty when there are none or other retries hold them."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            PendingUpdate.objects.select_for_update(skip_locked=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - datetime.timedelta(seconds=CLAIM_SECONDS)))
            .order_by("pk").values_list("pk", "kind", "object_id")[:batch]
        )
        PendingUpdate.objects.filter(pk__in=[pk for pk, _kind, _object_id in rows]).update(claimed_at=now)
    ids = {name: [] for name in ID_NAMES.values()}
    for _pk, kind, object_id in rows:
        ids[ID_NAMES[kind]].append(object_id)
    return [pk for pk, _kind, _object_id in rows], ids


def backlog_done(rows: list[int]) -> None:
    """The claimed rows were written: drop them."""
    PendingUpdate.objects.filter(pk__in=rows).delete()


def backlog_release(rows: list[int]) -> None:
    """The claimed rows could not be written: leave them to the next retry."""
    PendingUpdate.objects.filter(pk__in=rows).update(claimed_at=None)


def backlog_mark() -> int:
    """The newest entry now. An entry is added after the change it stands for was
    committed, so every entry up to the mark stands for a change that a database read
    from now on sees."""
    return PendingUpdate.objects.aggregate(newest=Max("pk"))["newest"] or 0


def backlog_forget(*, through: int) -> int:
    """Drop the entries up to ``through`` (a ``backlog_mark``); returns how many."""
    deleted, _ = PendingUpdate.objects.filter(pk__lte=through).delete()
    return deleted
