"""Search in the admin: the terms readers search for, for the people who act on them.

Wagtail's promoted search results (Settings → Promoted search results) let editors pin
pages to a query; its "Search terms" report is for superusers only. The same report
is listed here under Marketing reports for marketers and editors, who choose what to
write and what to promote from it.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.contrib.search_promotions.views.reports import SearchTermsReportView

from content.reports import user_may_view_reports

PROMOTE_PERMISSION = "wagtailsearchpromotions.add_searchpromotion"


def user_may_view_search_terms(user) -> bool:
    return bool(user and user.is_active and (
        user.is_superuser or user_may_view_reports(user) or user.has_perm(PROMOTE_PERMISSION)
    ))


class ReaderSearchTermsView(SearchTermsReportView):
    """Wagtail's report of search terms by number of searches (filter by date, export
    CSV/XLSX), open to marketers and editors."""

    index_url_name = "search_reports:search_terms"
    index_results_url_name = "search_reports:search_terms_results"

    def dispatch(self, request, *args, **kwargs):
        if not user_may_view_search_terms(request.user):
            return permission_denied(request)
        return super(SearchTermsReportView, self).dispatch(request, *args, **kwargs)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [path("search-terms/", include(([
        path("", ReaderSearchTermsView.as_view(), name="search_terms"),
        path("results/", ReaderSearchTermsView.as_view(results_only=True), name="search_terms_results"),
    ], "search_reports")))]


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_view_search_terms(request.user)


@hooks.register("register_marketing_reports_menu_item")
def register_search_terms_menu_item():
    return SearchTermsMenuItem(_("Search terms"), reverse("search_reports:search_terms"), name="search-terms",
                               icon_name="search", order=2000)
