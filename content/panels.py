"""The page editor's attribution panel: an article's last 30 days at a glance."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class ArticleAttributionPanel(Panel):
    """Views, clicks, orders and revenue (last touch, paid orders) of the article being
    edited over the last 30 days, with a link to its drill-down. Shown to users who may
    view reports, on existing pages only. Six aggregate queries, run only when shown."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Sales from this article (last 30 days)"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "attribution"

    class BoundPanel(Panel.BoundPanel):
        template_name = "reports/panels/article_attribution.html"

        def is_shown(self):
            from content.reports import user_may_view_reports  # reports import the page models

            return bool(getattr(self.instance, "pk", None)) and user_may_view_reports(self.request.user)

        def get_context_data(self, parent_context=None):
            from content.reports import article_summary

            context = super().get_context_data(parent_context)
            context["summary"] = article_summary(page_id=self.instance.pk)
            context["report_url"] = reverse("attribution_reports:article", args=[self.instance.pk])
            return context
