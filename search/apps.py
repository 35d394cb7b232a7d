"""Search over articles and SKUs (Elasticsearch through elasticsearch-dsl, with a database
fallback). Nothing imports this package; it subscribes to content and shop events."""
from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        # Content and shop must not import search, so search listens to them here, the
        # one place that knows which events change which documents (see search.receivers).
        from search import receivers

        receivers.connect()
