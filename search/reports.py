"""Search reports for marketers and editors: Wagtail's "Search terms" report (terms by
number of searches, filter by date, CSV/XLSX export) and "Searches that found nothing"
(the last 30 days), each with a chart of its top terms above the table."""

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.models import Query
from wagtail.contrib.search_promotions.views.reports import SearchTermsReportView

from content.reports import user_may_view_reports
from shop.spreadsheets import SpreadsheetExportMixin

PROMOTE_PERMISSION = "wagtailsearchpromotions.add_searchpromotion"
CHART_TERMS = 10
WIDTH, LABELS, ROW, GAP, TOP = 760, 170, 18, 6, 4


def user_may_view_search_terms(user) -> bool:
    return bool(user and user.is_active and (
        user.is_superuser or user_may_view_reports(user) or user.has_perm(PROMOTE_PERMISSION)
    ))


@dataclass(frozen=True)
class TermBar:
    term: str
    hits: int
    y: int
    width: int
    label_x: int
    title: str


def terms_chart(terms: list[tuple[str, int]]) -> dict | None:
    """Horizontal bars, one per (term, searches), longest first; geometry only (the
    template draws it). None when there is nothing to draw."""
    if not terms:
        return None
    most = max(hits for _term, hits in terms) or 1
    plot = WIDTH - LABELS - 48
    bars = []
    for index, (term, hits) in enumerate(terms):
        width = max(1, round(plot * hits / most))
        bars.append(TermBar(
            term=term if len(term) <= 24 else term[:23] + "…", hits=hits, y=TOP + index * (ROW + GAP), width=width,
            label_x=LABELS + width + 6, title=_("%(term)s: %(hits)d searches") % {"term": term, "hits": hits},
        ))
    return {"width": WIDTH, "height": TOP * 2 + len(bars) * (ROW + GAP), "left": LABELS, "row": ROW,
            "text_dy": ROW - 5, "bars": bars}


class TermsChartMixin:
    """Adds ``terms_chart``: the ten terms with the most ``_hits`` under the filters."""

    results_template_name = "search/admin/search_terms_results.html"
    chart_caption = gettext_lazy("Searches on the reader's search page, ten most searched terms under these filters")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["chart_caption"] = self.chart_caption
        top = self.get_queryset().order_by("-_hits", "query_string")[:CHART_TERMS]
        context["terms_chart"] = terms_chart([(query.query_string, query._hits) for query in top])
        return context


class ReaderSearchTermsView(SpreadsheetExportMixin, TermsChartMixin, SearchTermsReportView):
    """Wagtail's search terms report, open to marketers and editors, with a chart of the
    ten most searched terms under the chosen filters. Readers type the terms: exported
    cells never run as spreadsheet formulas (``shop.spreadsheets``)."""

    index_url_name = "search_reports:search_terms"
    index_results_url_name = "search_reports:search_terms_results"

    def dispatch(self, request, *args, **kwargs):
        if not user_may_view_search_terms(request.user):
            return permission_denied(request)
        # Wagtail's own dispatch admits superusers only; skip that one check.
        return super(SearchTermsReportView, self).dispatch(request, *args, **kwargs)


UNANSWERED_DAYS = 30


class UnansweredSearchesView(SpreadsheetExportMixin, TermsChartMixin, ReportView):
    """What readers searched for in the last 30 days and found nothing: what to write
    about, or what to promote a page for."""

    page_title = gettext_lazy("Searches that found nothing")
    header_icon = "search"
    is_searchable = True
    search_fields = ["query_string"]
    default_ordering = "-_hits"
    chart_caption = gettext_lazy("Searches on the reader's search page that found nothing, last 30 days")
    index_url_name = "search_reports:unanswered"
    index_results_url_name = "search_reports:unanswered_results"
    columns = [
        Column("query_string", label=gettext_lazy("Search term(s)"), sort_key="query_string"),
        NumberColumn("_hits", label=gettext_lazy("Searches that found nothing, last 30 days"), sort_key="_hits"),
    ]
    list_export = ["query_string", "_hits"]
    export_headings = {"query_string": gettext_lazy("Search term(s)"),
                       "_hits": gettext_lazy("Searches that found nothing, last 30 days")}

    def dispatch(self, request, *args, **kwargs):
        if not user_may_view_search_terms(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        since = timezone.localdate() - datetime.timedelta(days=UNANSWERED_DAYS - 1)
        # the date filter stands before the sum, so only those days are added up
        return (Query.objects.filter(unanswered__date__gte=since)
                .annotate(_hits=Sum("unanswered__searches")).filter(_hits__gt=0))
