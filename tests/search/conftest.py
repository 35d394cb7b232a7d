"""A real Elasticsearch-compatible server for search tests.

By default one in-memory osmem-server runs for the whole session; set
``ELASTICSEARCH_URL`` to run the same tests against a real Elasticsearch instead. Each
test gets its own alias (``settings.HAOWU_SEARCH_INDEX``), so tests never see each
other's documents, and everything under that alias is deleted afterwards.
"""

import os
import socket
import uuid

import pytest
from osmem_server import OsmemServer


@pytest.fixture(scope="session")
def search_server_url():
    """The URL of the session's server: ``ELASTICSEARCH_URL`` if given, else osmem."""
    url = os.environ.get("ELASTICSEARCH_URL")
    if url:
        yield url
        return
    server = OsmemServer.start(freeze=False, japanese=False)
    yield server.url
    server.close()


@pytest.fixture
def search_server(search_server_url, settings):
    """Points ``settings.ELASTICSEARCH_URL`` at the session's server and gives this test
    a unique alias; yields the URL. Indices under the alias are deleted afterwards."""
    from search.client import search_client

    settings.ELASTICSEARCH_URL = search_server_url
    settings.HAOWU_SEARCH_INDEX = f"haowu-test-{uuid.uuid4().hex[:12]}"
    alias = settings.HAOWU_SEARCH_INDEX
    yield search_server_url
    client = search_client()
    client.indices.delete(index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True)
    client.indices.delete(index=alias, ignore_unavailable=True)


@pytest.fixture
def search_index(search_server):
    """A fresh, empty index behind this test's alias; yields the alias."""
    from django.conf import settings

    from search.indexing import index_ensure

    index_ensure()
    return settings.HAOWU_SEARCH_INDEX


@pytest.fixture
def search_server_down(settings):
    """``settings.ELASTICSEARCH_URL`` pointing at a loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The socket is closed again: connections to the port are refused at once.
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    settings.HAOWU_SEARCH_INDEX = f"haowu-test-{uuid.uuid4().hex[:12]}"
    return settings.ELASTICSEARCH_URL
