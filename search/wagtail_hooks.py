"""Search in the admin: the terms readers search for, for the people who act on them.

Wagtail's promoted search results (Settings → Promoted search results) let editors pin
pages to a query; its "Search terms" report is for superusers only. The same report,
with a chart, is listed here under Marketing reports for marketers and editors, who
choose what to write and what to promote from it (``search.reports``).
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search.reports import ReaderSearchTermsView, UnansweredSearchesView, user_may_view_search_terms


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [path("search-terms/", include(([
        path("", ReaderSearchTermsView.as_view(), name="search_terms"),
        path("results/", ReaderSearchTermsView.as_view(results_only=True), name="search_terms_results"),
        path("found-nothing/", UnansweredSearchesView.as_view(), name="unanswered"),
        path("found-nothing/results/", UnansweredSearchesView.as_view(results_only=True), name="unanswered_results"),
    ], "search_reports")))]


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_view_search_terms(request.user)


@hooks.register("register_marketing_reports_menu_item")
def register_search_terms_menu_item():
    return SearchTermsMenuItem(_("Search terms"), reverse("search_reports:search_terms"), name="search-terms",
                               icon_name="search", order=2000)


@hooks.register("register_marketing_reports_menu_item")
def register_unanswered_searches_menu_item():
    return SearchTermsMenuItem(_("Searches that found nothing"), reverse("search_reports:unanswered"),
                               name="searches-found-nothing", icon_name="search", order=2100)
