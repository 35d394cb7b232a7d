"""`search_index rebuild` swaps the alias atomically while searches keep answering;
`search_index check` reports differences and fails readably."""

import threading

import pytest
from django.core.management import CommandError, call_command

import search.indexing as indexing
from search.client import search_client
from search.indexing import documents_update, index_ensure, index_rebuild

pytestmark = pytest.mark.django_db


def _count(alias):
    return search_client().count(index=alias)["count"]


def test_rebuild_fills_a_new_index_and_moves_the_alias(search_index, product_factory, article_factory):
    client = search_client()
    old = index_ensure()
    product_factory(skus=[{}, {}])
    article_factory()
    steps = []

    new = index_rebuild(progress=lambda done, total: steps.append((done, total)))

    assert new != old
    assert list(client.indices.get_alias(name=search_index).body) == [new]
    assert not client.indices.exists(index=old)
    assert not client.indices.exists_alias(name=f"{search_index}_building")
    assert _count(search_index) == 3
    assert steps[0] == (0, 3) and steps[-1] == (3, 3)


def test_a_rebuild_sends_full_bulk_requests_whatever_the_database_batches(
    search_index, product_factory, article_factory, monkeypatch,
):
    # Every request becomes a segment the server merges every few requests: a rebuild
    # sends as few as it can.
    for n in range(6):
        product_factory(title=f"Mug {n}")
    article_factory()
    monkeypatch.setattr(indexing, "SKU_CHUNK", 2)
    monkeypatch.setattr(indexing, "BULK_CHUNK", 3)
    sizes = []
    bulk = indexing._bulk
    monkeypatch.setattr(indexing, "_bulk", lambda client, actions, **kw: sizes.append(len(actions)) or bulk(
        client, actions, **kw))

    index_rebuild()

    assert sizes == [3, 3, 1]
    assert _count(search_index) == 7


def test_searches_keep_answering_while_the_index_is_rebuilt(search_index, product_factory, monkeypatch):
    # given an index holding 40 products
    for n in range(40):
        product_factory(title=f"Mug {n}")
    index_rebuild()
    monkeypatch.setattr(indexing, "SKU_CHUNK", 5)  # many small batches and requests: a long rebuild
    monkeypatch.setattr(indexing, "BULK_CHUNK", 5)
    answers, failures, done = [], [], threading.Event()

    def search_meanwhile():
        client = search_client()
        while not done.is_set():
            try:
                answers.append(client.search(index=search_index, query={"match": {"title": "mug"}}, size=0)
                               ["hits"]["total"]["value"])
            except Exception as error:  # any failure is what the test looks for
                failures.append(error)

    reader = threading.Thread(target=search_meanwhile)
    reader.start()
    try:
        index_rebuild()
    finally:
        done.set()
        reader.join()

    # then every search during the rebuild answered with the whole catalogue
    assert failures == []
    assert len(answers) > 5
    assert set(answers) == {40}


def test_updates_during_a_rebuild_reach_the_new_index(search_index, product_factory, monkeypatch):
    product_factory(title="First")
    late = product_factory(title="Late")
    real_all_documents = indexing.all_documents

    def all_documents_then_an_edit():
        yield from real_all_documents()
        # an editor saves while the new index is being filled, after the rebuild read the rows
        late.title = "Late, renamed"
        late.save()
        documents_update(product_ids=[late.pk])

    monkeypatch.setattr(indexing, "all_documents", all_documents_then_an_edit)
    index_rebuild()

    hit = search_client().get(index=search_index, id=f"sku-{late.skus.get().pk}")["_source"]
    assert hit["title"] == "Late, renamed"
    assert _count(search_index) == 2


def test_a_product_withdrawn_during_a_rebuild_stays_out_of_the_new_index(search_index, product_factory, monkeypatch):
    product_factory(title="Kept")
    withdrawn = product_factory(title="Withdrawn")
    sku_id = withdrawn.skus.get().pk
    real_all_documents = indexing.all_documents

    def all_documents_then_a_withdrawal():
        yield from real_all_documents()
        # the rebuild has read the product as on sale; its document is sent after this
        withdrawn.active = False
        withdrawn.save()
        documents_update(sku_ids=[sku_id])

    monkeypatch.setattr(indexing, "all_documents", all_documents_then_a_withdrawal)
    index_rebuild()

    assert not search_client().exists(index=search_index, id=f"sku-{sku_id}")
    assert _count(search_index) == 1


def test_check_command_passes_when_in_sync_and_fails_with_one_line_otherwise(search_index, product_factory, capsys):
    product_factory()
    call_command("search_index", "rebuild", "--no-progress")
    call_command("search_index", "check")
    assert "in sync: 1 documents" in capsys.readouterr().out

    product_factory()
    with pytest.raises(CommandError) as error:
        call_command("search_index", "check")

    assert str(error.value) == (
        "The search index is out of sync: 1 missing, 0 extra, 0 stale of 2 documents. "
        "Run `manage.py search_index rebuild`."
    )
    assert capsys.readouterr().out.startswith("missing (1): sku-")


def test_check_command_says_when_elasticsearch_is_unreachable(search_server_down):
    with pytest.raises(CommandError) as error:
        call_command("search_index", "check")

    assert str(error.value).startswith(f"Elasticsearch at {search_server_down} did not answer")
