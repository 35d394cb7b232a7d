"""Writing the search index: create it behind an alias, update documents in bulk,
rebuild into a new index and swap the alias, and compare the index with the database.

Readers and writers only ever name the alias (``settings.HAOWU_SEARCH_INDEX``); the
index behind it is ``<alias>-<timestamp>``. A rebuild fills a fresh index while the old
one keeps answering, then moves the alias in one ``update_aliases`` call.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from elasticsearch import helpers

from content.models import ArticlePage
from search.backlog import backlog_claim, backlog_done, backlog_forget, backlog_mark, backlog_release
from search.client import search_client
from search.documents import article_documents, read_version, search_index_definition, sku_documents
from shop.catalogue.models import SKU

logger = logging.getLogger(__name__)


def index_alias() -> str:
    return settings.HAOWU_SEARCH_INDEX


def _versioned_name(alias: str) -> str:
    return f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"


def _indices_behind(client, alias: str) -> list[str]:
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias).body)


def _index_create(client, alias: str) -> str:
    name = _versioned_name(alias)
    search_index_definition(name).create(using=client)
    return name


def index_ensure() -> str:
    """The name of the index behind the alias, creating ``<alias>-<timestamp>`` and the
    alias first when there is none. Never creates an index under the alias's own name
    (a write to a missing alias would, so every writer calls this first)."""
    client = search_client()
    alias = index_alias()
    current = _indices_behind(client, alias)
    if current:
        return current[-1]
    name = _index_create(client, alias)
    client.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
    current = _indices_behind(client, alias)
    if current != [name]:
        # Another process created one at the same moment: keep the oldest, drop ours.
        keep = current[0]
        if keep != name:
            client.indices.delete(index=name, ignore_unavailable=True)
            return keep
    logger.info("Created search index %s behind alias %s", name, alias)
    return name


def building_alias() -> str:
    """Names the index a rebuild is filling, so updates that arrive meanwhile reach it too."""
    return f"{index_alias()}_building"


def _write_targets(client) -> list[str]:
    return [index_alias(), *_indices_behind(client, building_alias())]


def _bulk(client, actions: list[dict], *, refresh=None) -> int:
    """Send ``actions`` in bulk. A delete of a document that is not there is fine, and
    so is a write refused because the index holds a version read later (see
    ``documents.read_version``). Raises ``IndexingError`` listing the first other
    failures."""
    if not actions:
        return 0
    ok, errors = helpers.bulk(
        client, actions, chunk_size=BULK_CHUNK, max_chunk_bytes=BULK_MAX_BYTES, raise_on_error=False,
        raise_on_exception=True,
        refresh=settings.HAOWU_SEARCH_REFRESH if refresh is None else refresh,
    )
    errors = [error for error in errors if _refused(error)]
    if errors:
        raise IndexingError(f"{len(errors)} documents were refused, first: {errors[:3]}")
    return ok


def _refused(error: dict) -> bool:
    """A bulk item's failure (``{op: {"status": …}}``) other than the expected ones."""
    ((op, item),) = error.items()
    status = item.get("status")
    return status != VERSION_CONFLICT and not (op == "delete" and status == 404)


#: Documents per bulk request: about 1 MB of ours, well inside the 5–15 MB a bulk
#: request should stay under, and few requests (see ``_full_requests``).
BULK_CHUNK = 1000
BULK_MAX_BYTES = 10 * 1024 * 1024
# Writes wait longer than a reader's search (search.client): a task or a rebuild can
# afford it, and a busy server answers a 1,000-document bulk in seconds, not instantly.
UPDATE_TIMEOUT_SECONDS = 30
REBUILD_TIMEOUT_SECONDS = 120
# Bulk requests a rebuild keeps in flight while it builds the next batch.
REBUILD_IN_FLIGHT = 2
ARTICLE_CHUNK = 200
SKU_CHUNK = 1000


#: Written with the version in each document: the later read wins, equal reads both write.
VERSION_TYPE = "external_gte"
VERSION_CONFLICT = 409


class IndexingError(RuntimeError):
    """The server refused some documents."""


def _index_actions(documents: list[dict], index: str) -> list[dict]:
    return [{"_op_type": "index", "_index": index, "_version_type": VERSION_TYPE, **doc} for doc in documents]


def documents_update(*, article_ids=(), sku_ids=(), product_ids=()) -> int:
    """Bring the named documents in line with the database in one bulk request per
    target: live articles and on-sale SKUs are (re)written, the rest deleted. A
    product id stands for all its SKUs. Writes through the alias (creating index and
    alias first if there are none) and into an index a rebuild is filling. Does
    nothing without ``ELASTICSEARCH_URL``; raises the client's errors when the server
    is unreachable. Returns the number of documents written or deleted."""
    client = search_client()
    if client is None:
        return 0
    article_ids, sku_ids = set(article_ids), set(sku_ids)
    if product_ids:
        sku_ids.update(SKU.objects.filter(product_id__in=product_ids).values_list("pk", flat=True))
    if not article_ids and not sku_ids:
        return 0
    client = client.options(request_timeout=UPDATE_TIMEOUT_SECONDS)
    version = read_version()
    documents = [
        *article_documents(ArticlePage.objects.filter(pk__in=article_ids)),
        *sku_documents(SKU.objects.filter(pk__in=sku_ids)),
    ]
    gone = (
        {f"article-{pk}" for pk in article_ids} | {f"sku-{pk}" for pk in sku_ids}
    ) - {doc["_id"] for doc in documents}
    index_ensure()
    written = 0
    for target in _write_targets(client):
        actions = _index_actions(documents, target) + [
            {"_op_type": "delete", "_index": target, "_id": doc_id, "_version": version,
             "_version_type": VERSION_TYPE}
            for doc_id in sorted(gone)
        ]
        written = _bulk(client, actions)
    return written


#: Backlog entries one retry writes, as one bulk update.
RETRY_BATCH = 500


def backlog_retry(*, batch: int = RETRY_BATCH) -> int:
    """Write one batch of the backlog (``search.backlog``) to the index and drop it;
    returns the number of entries written, 0 when there are none or other retries hold
    them all. Raises the client's errors when Elasticsearch still does not answer,
    handing the batch back for the next retry, and ``IndexingError`` when it answered
    but refused documents, dropping the batch (a retry would be refused again; the
    rest of it was written, and ``search_index check`` lists what is missing)."""
    rows, ids = backlog_claim(batch=batch)
    if not rows:
        return 0
    try:
        documents_update(**ids)
    except IndexingError:
        backlog_done(rows)
        raise
    except BaseException:
        backlog_release(rows)
        raise
    backlog_done(rows)
    return len(rows)


def _chunks(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _live_article_ids() -> list[int]:
    return list(ArticlePage.objects.live().public().order_by("pk").values_list("pk", flat=True))


def _on_sale_sku_ids() -> list[int]:
    return list(
        SKU.objects.filter(active=True, product__active=True).order_by("pk").values_list("pk", flat=True)
    )


def all_documents():
    """Every document the index should hold, built from the database in batches."""
    # A batch is a primary-key range (the builders keep only what is live or on sale):
    # a range costs the database nothing, a list of a thousand ids costs Django a lot.
    for ids in _chunks(_live_article_ids(), ARTICLE_CHUNK):
        yield article_documents(ArticlePage.objects.filter(pk__gte=ids[0], pk__lte=ids[-1]))
    for ids in _chunks(_on_sale_sku_ids(), SKU_CHUNK):
        yield sku_documents(SKU.objects.filter(pk__gte=ids[0], pk__lte=ids[-1]))


def documents_total() -> int:
    return ArticlePage.objects.live().public().count() + SKU.objects.filter(
        active=True, product__active=True
    ).count()


def _full_requests(batches, size: int):
    """The documents of ``batches`` regrouped into lists of ``size`` (the last one
    shorter): every bulk request of a rebuild is full whatever the database batches
    hold. Each request becomes a segment the server merges every few requests, at a
    cost that grows with the index, so a rebuild sends as few as it can."""
    pending: list[dict] = []
    for documents in batches:
        pending.extend(documents)
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    if pending:
        yield pending


def index_rebuild(*, progress: Callable[[int, int], None] | None = None) -> str:
    """Fill a new ``<alias>-<timestamp>`` index from the database and move the alias to
    it in one ``update_aliases`` call, then delete the old index. Searches keep
    answering from the old index until the swap. Updates that arrive during the
    rebuild are written to both (the new index is reachable as ``<alias>_building``).
    Backlog entries (``search.backlog``) recorded before it started are dropped once it
    is done: it read their documents from the database.
    ``progress(done, total)`` is called after each batch. Returns the new index name."""
    client = search_client()
    if client is None:
        raise IndexingError("ELASTICSEARCH_URL is not set: there is no index to rebuild.")
    client = client.options(request_timeout=REBUILD_TIMEOUT_SECONDS)
    alias, building = index_alias(), building_alias()
    name = _index_create(client, alias)
    client.indices.update_aliases(actions=[{"add": {"index": name, "alias": building}}])
    backlog = backlog_mark()  # entries up to here stand for changes this rebuild reads
    try:
        total, done = documents_total(), 0
        if progress:
            progress(done, total)
        # Build the next batch from the database while the server indexes earlier ones:
        # at most REBUILD_IN_FLIGHT bulk requests at a time, collected in order.
        with ThreadPoolExecutor(max_workers=REBUILD_IN_FLIGHT, thread_name_prefix="search-bulk") as sender:
            in_flight = deque()
            for documents in _full_requests(all_documents(), BULK_CHUNK):
                if len(in_flight) >= REBUILD_IN_FLIGHT:
                    done += in_flight.popleft().result()
                    if progress:
                        progress(done, max(total, done))
                in_flight.append(sender.submit(_bulk, client, _index_actions(documents, name), refresh=False))
            while in_flight:
                done += in_flight.popleft().result()
                if progress:
                    progress(done, max(total, done))
        client.indices.refresh(index=name)
    except BaseException:
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    old = _indices_behind(client, alias)
    client.indices.update_aliases(actions=[
        *({"remove": {"index": index, "alias": alias}} for index in old),
        {"add": {"index": name, "alias": alias}},
        {"remove": {"index": name, "alias": building}},
    ])
    for index in old:
        client.indices.delete(index=index, ignore_unavailable=True)
    backlog_forget(through=backlog)
    logger.info("Rebuilt search index %s (%d documents); alias %s moved from %s", name, done, alias, old)
    return name


@dataclass(frozen=True)
class IndexCheck:
    """Document ids the index lacks, holds without cause, or holds out of date."""

    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    indexed: int = 0
    expected: int = 0

    @property
    def in_sync(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def index_check() -> IndexCheck:
    """Compare the index behind the alias with what the database says it should hold,
    by id and by each document's digest (a hash of its fields). Raises the client's
    errors when the server is unreachable and ``IndexingError`` when there is no index."""
    client = search_client()
    alias = index_alias()
    if client is None:
        raise IndexingError("ELASTICSEARCH_URL is not set: there is no index to check.")
    client = client.options(request_timeout=REBUILD_TIMEOUT_SECONDS)
    if not client.indices.exists_alias(name=alias):
        raise IndexingError(f"There is no search index behind the alias {alias!r}: run `search_index rebuild`.")
    indexed = {
        hit["_id"]: hit.get("_source", {}).get("digest")
        for hit in helpers.scan(client, index=alias, query={"query": {"match_all": {}}}, _source=["digest"])
    }
    expected = {doc["_id"]: doc["digest"] for documents in all_documents() for doc in documents}
    return IndexCheck(
        missing=sorted(set(expected) - set(indexed)),
        extra=sorted(set(indexed) - set(expected)),
        stale=sorted(pk for pk in set(expected) & set(indexed) if expected[pk] != indexed[pk]),
        indexed=len(indexed),
        expected=len(expected),
    )
