"""The marketers' report pages in Wagtail admin (registered in ``content.wagtail_hooks``):
the overview, one table per grouping, and an article's drill-down. Each view parses the
filter form, builds one report with ``report_table`` and renders or exports it."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from content.reports.charts import daily_chart
from content.reports.exports import table_csv, table_xlsx
from content.reports.tables import (
    BY_CHOICES,
    BY_LABELS,
    MODEL_CHOICES,
    STATUS_CHOICES,
    ReportQuery,
    default_range,
    report_scope,
    report_table,
    user_may_view_reports,
)
from shop.attribution.selectors import daily_figures

MAX_DAYS = 366
# Reports cover days a shop can have had orders in. Beyond them the day's edges in the
# site's time zone fall outside what Python's datetime (year 1 to 9999) can hold.
EARLIEST_DAY, LATEST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)

HELP_TEXT = gettext_lazy(
    "Dates are in the site's time zone, both days included. Paid: orders paid, shipped, delivered or "
    "refunded (refunds subtract). Placed: every order except cancelled ones. All: cancelled orders too "
    "(they net to zero). Clicks are the recorded clicks in the range; revenue and orders count orders "
    "placed in the range; an order counts in a row when its net credit there is above zero. CTR = clicks ÷ "
    "impressions, conversion = orders ÷ clicks, average order = revenue ÷ orders."
)


class ReportFilterForm(forms.Form):
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    model = forms.ChoiceField(label=gettext_lazy("Attribution model"), choices=MODEL_CHOICES, required=False)
    status = forms.ChoiceField(label=gettext_lazy("Orders"), choices=STATUS_CHOICES, required=False)
    side_by_side = forms.BooleanField(label=gettext_lazy("All five models side by side"), required=False)

    def clean(self):
        data = super().clean()
        if self.errors:  # a date the calendar does not have: its own error says so
            return data
        if any(day and not EARLIEST_DAY <= day <= LATEST_DAY for day in (data.get("since"), data.get("until"))):
            raise forms.ValidationError(_("Choose dates from %(earliest)s to %(latest)s.") % {
                "earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat(),
            })
        default_since, default_until = default_range()
        data["since"] = data.get("since") or default_since
        data["until"] = data.get("until") or default_until
        if data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        if (data["until"] - data["since"]).days >= MAX_DAYS:
            raise forms.ValidationError(_("Choose a range of at most a year."))
        data["model"] = data.get("model") or "last_touch"
        data["status"] = data.get("status") or "paid"
        return data


def forbidden(request) -> TemplateResponse:
    return TemplateResponse(request, "reports/forbidden.html", {"page_title": _("Marketing reports")}, status=403)


class ReportViewMixin(WagtailAdminTemplateMixin):
    header_icon = "table"
    export_name = "report"

    def dispatch(self, request, *args, **kwargs):
        # A plain 403 page, not Wagtail's redirect home: scripts and bookmarks see the refusal.
        if not user_may_view_reports(request.user):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)

    def filters(self) -> ReportQuery:
        since, until = default_range()
        defaults = {"since": since.isoformat(), "until": until.isoformat(), "model": "last_touch", "status": "paid"}
        # Fields missing from the query show the defaults they resolve to, not empty boxes.
        given = {key: value for key, value in self.request.GET.lists() if any(value)}
        data = None
        if given:
            data = QueryDict(mutable=True)
            data.update(defaults)
            for key, values in given.items():
                data.setlist(key, values)
        self.form = ReportFilterForm(data, initial=defaults)
        # With wrong filters the page shows the form's errors over the default report;
        # an export is not made from filters nobody asked for.
        self.exporting = self.request.GET.get("export") in ("csv", "xlsx") and not self.form.errors
        if self.form.is_bound and self.form.is_valid():
            data = self.form.cleaned_data
            return ReportQuery(
                since=data["since"], until=data["until"], model=data["model"],
                status=data["status"], side_by_side=data["side_by_side"],
            )
        return ReportQuery().resolved()

    def query_string(self, **changes) -> str:
        params = {key: value for key, value in self.request.GET.items() if key != "export"}
        params.update(changes)
        return urlencode(params)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("attribution_reports:overview"), "label": _("Marketing reports")},
                {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form, help_text=HELP_TEXT, by_choices=BY_CHOICES,
            current_query=self.query_string(),
            csv_query=self.query_string(export="csv"), xlsx_query=self.query_string(export="xlsx"),
        )
        return context

    def export(self, table, name: str) -> HttpResponse:
        kind = self.request.GET.get("export")
        query = table.query
        filename = f"{name}-{query.model}-{query.since:%Y%m%d}-{query.until:%Y%m%d}"
        if kind == "csv":
            response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                table_xlsx(table),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
        return response


class OverviewView(ReportViewMixin, TemplateView):
    template_name = "reports/overview.html"
    page_title = gettext_lazy("Marketing overview")

    def get_context_data(self, **kwargs):
        query = self.filters()
        table = report_table(ReportQuery(
            by="campaign", since=query.since, until=query.until, model=query.model, status=query.status,
        ), user=self.request.user)
        days = daily_figures(
            since=query.since, until=query.until, model=query.model, status=query.status,
            article_ids=report_scope(self.request.user),
        )
        context = super().get_context_data(**kwargs)
        context.update(query=query, total=table.total, unattributed=next(
            (row for row in table.rows if row.kind == "unattributed"), None), chart=daily_chart(days),
            restricted=table.restricted, model_label=dict(MODEL_CHOICES)[query.model])
        return context


class TableView(ReportViewMixin, TemplateView):
    template_name = "reports/table.html"

    def get_page_title(self):
        return _("Attribution by %(grouping)s") % {"grouping": str(BY_LABELS[self.kwargs["by"]]).lower()}

    def get(self, request, *args, **kwargs):
        if kwargs["by"] not in BY_LABELS:
            raise Http404
        query = self.filters()
        self.table = report_table(ReportQuery(
            by=kwargs["by"], since=query.since, until=query.until, model=query.model,
            status=query.status, side_by_side=query.side_by_side,
        ), user=request.user)
        if self.exporting:
            return self.export(self.table, f"attribution-{kwargs['by']}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(table=self.table, by=self.kwargs["by"], model_label=dict(MODEL_CHOICES)[self.table.query.model])
        return context


class ArticleReportView(ReportViewMixin, TemplateView):
    """One article: what each block and position earned, and its daily chart."""

    template_name = "reports/article.html"

    def get_page_title(self):
        return _("Attribution: %(title)s") % {"title": self.page.title}

    def get(self, request, *args, **kwargs):
        self.page = Page.objects.filter(pk=kwargs["page_id"]).first()
        if self.page is None:
            raise Http404
        scope = report_scope(request.user)
        if scope is not None and not scope.filter(pk=self.page.pk).exists():
            raise PermissionDenied
        query = self.filters()
        self.table = report_table(ReportQuery(
            since=query.since, until=query.until, model=query.model, status=query.status,
            side_by_side=query.side_by_side, article_id=self.page.pk,
        ), user=request.user)
        if self.exporting:
            return self.export(self.table, f"attribution-article-{self.page.pk}")
        self.days = daily_figures(
            since=query.since, until=query.until, model=query.model, status=query.status, article_ids=[self.page.pk],
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            table=self.table, page=self.page, chart=daily_chart(self.days),
            model_label=dict(MODEL_CHOICES)[self.table.query.model],
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        )
        return context
