"""The index behind its alias, documents written in bulk, and `index_check`."""

from search.client import search_client
from search.indexing import index_ensure


def test_index_ensure_creates_a_versioned_index_behind_the_alias(search_server, settings):
    alias = settings.HAOWU_SEARCH_INDEX
    client = search_client()

    name = index_ensure()

    assert name.startswith(f"{alias}-")
    assert list(client.indices.get_alias(name=alias).body) == [name]
    assert index_ensure() == name
