"""The one Elasticsearch client of the process, or None when search runs on the database.

The elasticsearch 8 client asks for ``application/vnd.elasticsearch+json; compatible-with=8``;
OpenSearch-derived servers (osmem-server in tests, OpenSearch in some deployments) answer
406 to that media type, and the client's ``headers=`` option cannot replace it because the
client sets it per request. A small node class sends the plain media types instead, which
every Elasticsearch 7/8 and OpenSearch server accepts.
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from elastic_transport import Urllib3HttpNode
from elasticsearch import Elasticsearch

logger = logging.getLogger(__name__)

_PLAIN_MEDIA_TYPES = {
    "application/vnd.elasticsearch+json; compatible-with=8": "application/json",
    "application/vnd.elasticsearch+x-ndjson; compatible-with=8": "application/x-ndjson",
}

# Reader-facing searches and the indexer both give up quickly: a slow or absent server
# must not hold a page render or a publish.
REQUEST_TIMEOUT_SECONDS = 5


class PlainMediaTypeNode(Urllib3HttpNode):
    """Urllib3 node that sends ``application/json`` / ``application/x-ndjson``."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value in _PLAIN_MEDIA_TYPES:
                    headers[name] = _PLAIN_MEDIA_TYPES[value]
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


@functools.lru_cache(maxsize=8)
def _client_for(url: str) -> Elasticsearch:
    return Elasticsearch(
        url,
        node_class=PlainMediaTypeNode,
        request_timeout=REQUEST_TIMEOUT_SECONDS,
        max_retries=1,
        retry_on_timeout=False,
    )


def search_client() -> Elasticsearch | None:
    """The client for ``settings.ELASTICSEARCH_URL``; None when search uses the database."""
    url = settings.ELASTICSEARCH_URL
    if not url:
        return None
    return _client_for(url)


def search_available() -> bool:
    """True when a server is configured and answers a ping."""
    client = search_client()
    if client is None:
        return False
    try:
        return bool(client.ping())
    except Exception:  # ping raises on some transport errors instead of answering False
        logger.warning("Elasticsearch at %s does not answer", settings.ELASTICSEARCH_URL)
        return False
