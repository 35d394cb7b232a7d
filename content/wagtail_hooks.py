from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.models import Author
from content.reports import BY_CHOICES, user_may_view_reports
from content.reports.views import ArticleReportView, OverviewView, TableView


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role"]
    # Parts of names, Chinese included; Wagtail's SQLite index refuses a field list.
    search_backend_name = None


register_snippet(AuthorViewSet)


# Marketing reports: the overview, one table per grouping and an article's drill-down.

report_urls = [
    path("", OverviewView.as_view(), name="overview"),
    path("by/<slug:by>/", TableView.as_view(), name="table"),
    path("article/<int:page_id>/", ArticleReportView.as_view(), name="article"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("marketing-reports/", include((report_urls, "attribution_reports")))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_view_reports(request.user)


marketing_reports_menu = Menu(register_hook_name="register_marketing_reports_menu_item")


@hooks.register("register_marketing_reports_menu_item")
def register_overview_menu_item():
    return ReportMenuItem(_("Overview"), reverse("attribution_reports:overview"), name="overview", icon_name="view", order=100)


def _table_menu_item(by, label, order):
    def register():
        return ReportMenuItem(
            label, reverse("attribution_reports:table", args=[by]), name=f"by-{by}", icon_name="table", order=order
        )
    return register


for _order, (_by, _label) in enumerate(BY_CHOICES, start=2):
    hooks.register("register_marketing_reports_menu_item", _table_menu_item(_by, _label, _order * 100))


@hooks.register("register_admin_menu_item")
def register_marketing_reports_menu():
    return SubmenuMenuItem(_("Marketing reports"), marketing_reports_menu, name="marketing-reports", icon_name="table", order=8900)


@hooks.register("register_permissions")
def register_report_permissions():
    return Permission.objects.filter(
        content_type__app_label="content",
        codename__in=["view_attribution_reports", "view_own_attribution_reports"],
    )


@hooks.register("insert_global_admin_css")
def report_css():
    return format_html('<link rel="stylesheet" href="{}">', static("reports/reports.css"))
