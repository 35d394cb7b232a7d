"""What search writes besides the index: the terms readers search for."""

from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query

from search.models import UnansweredSearch


def search_query_record(*, q: str, found: bool = True) -> None:
    """Count one search for ``q`` (normalised) today, for Wagtail's "Search terms" report
    and for choosing what to promote, and when it ``found`` nothing, count that too
    (what to write about next). The reader's page counts each new search once (its
    first page); the JSON API does not, so scripts cannot skew what readers want."""
    if not q:
        return
    query = Query.get(q)
    query.add_hit()
    if not found:
        today = timezone.localdate()
        UnansweredSearch.objects.get_or_create(query=query, date=today)
        UnansweredSearch.objects.filter(query=query, date=today).update(searches=F("searches") + 1)
