"""Writing the search index: create it behind an alias, update documents in bulk,
rebuild into a new index and swap the alias, and compare the index with the database.

Readers and writers only ever name the alias (``settings.HAOWU_SEARCH_INDEX``); the
index behind it is ``<alias>-<timestamp>``. A rebuild fills a fresh index while the old
one keeps answering, then moves the alias in one ``update_aliases`` call.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone

from search.client import search_client
from search.documents import search_index_definition

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
    logger.info("Created search index %s behind alias %s", name, alias)
    return name
