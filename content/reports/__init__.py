"""The marketers' attribution reports: shop's figures (``shop.attribution.selectors``)
joined to page titles, authors and categories, as tables the admin shows, exports
(CSV, XLSX) and ``manage.py attribution_report`` prints — one function builds them all.

Definitions (the admin's help text and the command's ``--help`` say the same):

- Range: ``since`` to ``until``, both days included, in the site's time zone
  (``TIME_ZONE``, Asia/Shanghai). Default: the last 30 days, today included.
- Status filter, on the credited orders:
  ``paid`` (default) — orders whose money was received: paid, shipped, delivered or
  refunded (refunds are negative reversal credits, so only the kept money counts);
  ``placed`` — every order except cancelled ones, so orders awaiting payment show at once;
  ``all`` — every order, cancelled ones included (their reversals net them to zero).
- clicks: the touches recorded in the range (by click time), exactly those.
- views / impressions: the daily engagement counters of the range (views are the
  article's page views; impressions are product blocks seen).
- revenue: the net sum of the credits under the chosen model (reversals included) of
  the orders placed in the range; direct = lines whose SKU was the one clicked,
  assisted = the order's other lines.
- orders: distinct orders whose net credit in the row is above zero; the total counts
  each order once even when several rows share it.
- CTR = clicks ÷ impressions; conversion rate = orders ÷ clicks; average order value =
  revenue ÷ orders; revenue per 1,000 views = revenue × 1000 ÷ views.
- "Direct / unattributed": credits for orders no touch explains, so a report's revenue
  total is the sales total of the range (for users who see every article).
- Who sees what: ``content.view_attribution_reports`` (Marketers) sees every row;
  ``content.view_own_attribution_reports`` (Editors) sees only articles they can edit,
  without the unattributed row; superusers see everything.
"""

from content.reports.tables import (
    BY_CHOICES,
    MODEL_CHOICES,
    STATUS_CHOICES,
    ReportQuery,
    ReportRow,
    ReportTable,
    article_summary,
    default_range,
    report_scope,
    report_table,
    user_may_view_reports,
)

__all__ = [
    "BY_CHOICES",
    "MODEL_CHOICES",
    "STATUS_CHOICES",
    "ReportQuery",
    "ReportRow",
    "ReportTable",
    "article_summary",
    "default_range",
    "report_scope",
    "report_table",
    "user_may_view_reports",
]
