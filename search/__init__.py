"""Search over articles and SKUs (Elasticsearch through elasticsearch-dsl, with a database
fallback). Nothing imports this package; it subscribes to content and shop events."""
