"""What search writes besides the index: the terms readers search for."""

from wagtail.contrib.search_promotions.models import Query


def search_query_record(*, q: str) -> None:
    """Count one search for ``q`` (normalised) today, for Wagtail's "Search terms" report
    and for choosing what to promote. The reader's page counts each new search once
    (its first page); the JSON API does not, so scripts cannot skew what readers want."""
    if q:
        Query.get(q).add_hit()
