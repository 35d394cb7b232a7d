"""Index updates as tasks, queued once the change that caused them is committed.

Receivers (wired in ``search.apps``) only collect ids. Each committed transaction
queues one ``search_documents_update`` task for everything it touched, so a product
saved with five SKUs or a checkout of five lines is one bulk request. With the
immediate backend (the default) the task runs in the committing process right after
commit; in production a worker runs it. If Elasticsearch cannot be reached the task
logs and keeps the ids in the database (``search.backlog``): the publish or checkout
that caused it has already succeeded. The next update that succeeds writes a batch of
that backlog too, and ``manage.py search_index retry`` writes all of it.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import transaction
from django_tasks import task
from elasticsearch import ApiError, TransportError

from search.backlog import backlog_add, backlog_pending
from search.indexing import IndexingError, backlog_retry, documents_update

logger = logging.getLogger(__name__)

_pending = threading.local()


# Backlog entries an ordinary update writes on its way (``manage.py search_index retry``
# writes the rest): a first update after an outage stays one quick request.
BACKLOG_PER_UPDATE = 100


@task()
def search_documents_update(*, article_ids: list[int], sku_ids: list[int], product_ids: list[int]) -> int:
    try:
        written = documents_update(article_ids=article_ids, sku_ids=sku_ids, product_ids=product_ids)
    except IndexingError as error:  # it answered and refused some: a retry would be refused again
        logger.warning("Search index refused documents (articles %s, SKUs %s, products %s): %s. "
                       "See `manage.py search_index check`.", article_ids, sku_ids, product_ids, error)
        return 0
    except (TransportError, ApiError) as error:
        logger.warning(
            "Search index not updated (articles %s, SKUs %s, products %s): %s. Kept to retry when "
            "Elasticsearch answers again (`manage.py search_index retry`).",
            article_ids, sku_ids, product_ids, error,
        )
        backlog_add(article_ids=article_ids, sku_ids=sku_ids, product_ids=product_ids)
        return 0
    if backlog_pending():  # Elasticsearch answers again: catch up
        try:
            written += backlog_retry(batch=BACKLOG_PER_UPDATE)
        except (TransportError, ApiError, IndexingError) as error:
            logger.warning("Search index backlog not written: %s", error)
    return written


def _ids() -> dict[str, set[int]]:
    if not hasattr(_pending, "ids"):
        _pending.ids = {"article_ids": set(), "sku_ids": set(), "product_ids": set()}
    return _pending.ids


def _flush() -> None:
    """Queue one task for every id collected in this thread. The first commit callback
    to run takes them all; later ones of the same transaction find nothing to do. Ids
    left by a rolled-back transaction go out with the next commit, which only
    re-indexes rows as they are."""
    ids = _ids()
    batch = {name: sorted(values) for name, values in ids.items()}
    for values in ids.values():
        values.clear()
    if not any(batch.values()):
        return
    try:
        search_documents_update.enqueue(**batch)
    except Exception:  # a queue backend that is down must not break the commit's caller
        logger.exception("Could not queue a search index update for %s", batch)


def index_later(*, article_ids=(), sku_ids=(), product_ids=()) -> None:
    """Remember ids whose documents must be refreshed once the current transaction
    commits (at once outside a transaction). Nothing without ``ELASTICSEARCH_URL``."""
    if not settings.ELASTICSEARCH_URL:
        return
    ids = _ids()
    ids["article_ids"].update(article_ids)
    ids["sku_ids"].update(sku_ids)
    ids["product_ids"].update(product_ids)
    transaction.on_commit(_flush, robust=True)
