"""Updates Elasticsearch did not take are kept in the database and written once it
answers again: by the next update, by ``search_index retry``, or made moot by a rebuild."""

import datetime
import socket
import threading
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from elastic_transport import TransportError

from search import indexing
from search.backlog import CLAIM_SECONDS, backlog_add
from search.client import search_client
from search.indexing import backlog_retry, index_rebuild
from search.models import PendingUpdate
from shop.catalogue.models import SKU
from shop.catalogue.services import stock_adjust
from tests.concurrency import run_in_threads

pytestmark = pytest.mark.django_db


@contextmanager
def _server_down(settings):
    """Elasticsearch stops answering for the block (a loopback port nobody listens on)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    live_url, settings.ELASTICSEARCH_URL = settings.ELASTICSEARCH_URL, f"http://127.0.0.1:{port}"
    try:
        yield
    finally:
        settings.ELASTICSEARCH_URL = live_url


def _doc(alias, doc_id):
    response = search_client().options(ignore_status=404).get(index=alias, id=doc_id)
    return response["_source"] if response["found"] else None


def _pending():
    return sorted(PendingUpdate.objects.values_list("kind", "object_id"))


def test_updates_made_while_elasticsearch_is_down_are_written_by_the_next_update(
    search_index, settings, product_factory, django_user_model, django_capture_on_commit_callbacks,
):
    operator = django_user_model.objects.create_user("op", "op@example.com", "pw")

    # given a product created and its stock changed while Elasticsearch does not answer
    with _server_down(settings):
        with django_capture_on_commit_callbacks(execute=True):
            kettle = product_factory(title="Kettle", skus=[{"code": "KT-1", "stock": 0}])
        sku = kettle.skus.get()
        with django_capture_on_commit_callbacks(execute=True):
            stock_adjust(sku_id=sku.pk, delta=5, reason_note="Delivery", actor=operator)
    pending = _pending()
    assert (pending.count(("product", kettle.pk)), pending.count(("sku", sku.pk))) == (1, 1)  # each once

    # when it answers again and anything else changes
    with django_capture_on_commit_callbacks(execute=True):
        lamp = product_factory(title="Lamp", skus=[{"code": "LM-1"}])

    # then the kept updates are written with it, as the database has them now
    assert _pending() == []
    assert _doc(search_index, f"sku-{sku.pk}")["in_stock"] is True
    assert _doc(search_index, f"sku-{sku.pk}")["title"] == "Kettle"
    assert _doc(search_index, f"sku-{lamp.skus.get().pk}") is not None


def test_retry_command_writes_the_backlog_or_keeps_it_and_fails_with_one_line(
    search_index, settings, product_factory, capsys,
):
    products = [product_factory(title=f"Vase {n}") for n in range(3)]
    PendingUpdate.objects.bulk_create(PendingUpdate(kind="product", object_id=p.pk) for p in products)

    with _server_down(settings), pytest.raises(CommandError) as error:
        call_command("search_index", "retry", "--no-progress")
    assert str(error.value).startswith("Elasticsearch at") and "\n" not in str(error.value)
    assert len(_pending()) == 3

    call_command("search_index", "retry", "--no-progress")
    assert capsys.readouterr().out.strip() == "Wrote 3 pending updates to the search index."
    assert _pending() == []
    skus = SKU.objects.filter(product__in=products)
    assert all(_doc(search_index, f"sku-{sku.pk}") for sku in skus)


def test_check_says_how_many_updates_wait(search_index, product_factory, capsys):
    product = product_factory()
    PendingUpdate.objects.create(kind="product", object_id=product.pk)
    with pytest.raises(CommandError):  # the index lacks the product
        call_command("search_index", "check")
    assert "1 updates wait to be retried: run `manage.py search_index retry`." in capsys.readouterr().out


def test_a_rebuild_drops_the_entries_it_read_and_keeps_later_ones(search_index, product_factory, monkeypatch):
    read = product_factory(title="Read by the rebuild")
    PendingUpdate.objects.create(kind="product", object_id=read.pk)
    later = {}
    documents = indexing.all_documents

    def all_documents_then_a_failure():
        yield from documents()
        # an update fails while the rebuild runs: the rebuild may not have read it
        later["entry"] = PendingUpdate.objects.create(kind="article", object_id=999)

    monkeypatch.setattr(indexing, "all_documents", all_documents_then_a_failure)
    index_rebuild()

    assert _pending() == [("article", 999)]
    assert _doc(search_index, f"sku-{read.skus.get().pk}")["title"] == "Read by the rebuild"


def test_a_document_that_fails_again_while_it_is_retried_stays_pending(search_index, product_factory, monkeypatch):
    product = product_factory(title="Teapot")
    PendingUpdate.objects.create(kind="product", object_id=product.pk)
    update = indexing.documents_update

    def update_then_a_new_failure(**ids):
        written = update(**ids)
        # meanwhile the product changes again and that update fails: the retry wrote older data
        backlog_add(product_ids=[product.pk])
        return written

    monkeypatch.setattr(indexing, "documents_update", update_then_a_new_failure)
    assert backlog_retry() == 1
    assert _pending() == [("product", product.pk)]
    assert PendingUpdate.objects.get().claimed_at is None


def test_a_failed_retry_hands_its_batch_back_and_a_dead_retrys_claim_runs_out(search_index, settings, product_factory):
    products = [product_factory(title=f"Cup {n}") for n in range(2)]
    PendingUpdate.objects.bulk_create(PendingUpdate(kind="product", object_id=p.pk) for p in products)

    with _server_down(settings), pytest.raises(TransportError):
        backlog_retry()
    assert list(PendingUpdate.objects.values_list("claimed_at", flat=True)) == [None, None]

    # a retry that died holding the first entry: others leave it until its claim runs out
    PendingUpdate.objects.filter(object_id=products[0].pk).update(claimed_at=timezone.now())
    assert backlog_retry() == 1
    assert _pending() == [("product", products[0].pk)]
    PendingUpdate.objects.update(claimed_at=timezone.now() - datetime.timedelta(seconds=CLAIM_SECONDS + 1))
    assert backlog_retry() == 1
    assert _pending() == []


def test_a_batch_the_server_refuses_is_dropped_not_retried_forever(search_index, product_factory, monkeypatch):
    product = product_factory(title="Odd one")
    PendingUpdate.objects.create(kind="product", object_id=product.pk)

    def refused(**ids):
        raise indexing.IndexingError("1 documents were refused, first: [mapper_parsing_exception]")

    monkeypatch.setattr(indexing, "documents_update", refused)
    with pytest.raises(indexing.IndexingError):
        backlog_retry()
    assert _pending() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)")
def test_workers_retrying_at_once_share_the_backlog(search_index, product_factory, monkeypatch):
    products = [product_factory(title=f"Bowl {n}") for n in range(6)]
    PendingUpdate.objects.bulk_create(PendingUpdate(kind="product", object_id=p.pk) for p in products)
    # both workers hold their batch at the same moment before writing it
    both_holding = threading.Barrier(2, timeout=10)
    update = indexing.documents_update
    taken = []

    def update_when_both_hold(**ids):
        taken.append(ids["product_ids"])
        both_holding.wait()
        return update(**ids)

    monkeypatch.setattr(indexing, "documents_update", update_when_both_hold)
    results, errors = run_in_threads(2, lambda i: backlog_retry(batch=3))

    assert errors == []
    assert sorted(results) == [3, 3]
    assert sorted(pk for batch in taken for pk in batch) == sorted(p.pk for p in products)  # disjoint
    assert _pending() == []
    assert all(_doc(search_index, f"sku-{sku.pk}") for sku in SKU.objects.filter(product__in=products))
