"""Report tables: shop's grouped figures with page titles, authors and categories as
labels, the derived rates, and the columns every output (screen, CSV, XLSX, command)
shares. See ``content.reports`` for the definitions."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from content.blocks import ArticleBodyBlock
from content.models import ArticlePage
from shop.attribution.models import AttributionModel
from shop.attribution.rollups import LAZY_DAYS, rollups_advance
from shop.attribution.selectors import ZERO, Figures, report_figures
from shop.money import money_quantize

VIEW_ALL_PERMISSION = "content.view_attribution_reports"
VIEW_OWN_PERMISSION = "content.view_own_attribution_reports"
DEFAULT_DAYS = 30
HUNDREDTH = Decimal("0.01")

MODEL_CHOICES = AttributionModel.choices
STATUS_CHOICES = [
    ("paid", gettext_lazy("Paid (paid, shipped, delivered or refunded)")),
    ("placed", gettext_lazy("Placed (all but cancelled, awaiting payment included)")),
    ("all", gettext_lazy("All orders (cancelled included)")),
]
#: What a table groups by; "block" is the per-block drill-down of one article.
BY_CHOICES = [
    ("article", gettext_lazy("Article")),
    ("block_type", gettext_lazy("Block type")),
    ("position", gettext_lazy("Block position")),
    ("author", gettext_lazy("Author")),
    ("category", gettext_lazy("Category")),
    ("campaign", gettext_lazy("Campaign (UTM)")),
    ("curator", gettext_lazy("Curator")),
]
BY_LABELS = dict(BY_CHOICES)


def default_range() -> tuple[datetime.date, datetime.date]:
    """The last 30 days in the site's time zone, today included."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


def user_may_view_reports(user) -> bool:
    return bool(user and user.is_active and (
        user.has_perm(VIEW_ALL_PERMISSION) or user.has_perm(VIEW_OWN_PERMISSION)
    ))


def report_scope(user):
    """``None`` when ``user`` may see every article's numbers (no user — the command —,
    a superuser or a marketer), else a queryset of the page ids they can edit."""
    if user is None or user.is_superuser or user.has_perm(VIEW_ALL_PERMISSION):
        return None
    pages = PagePermissionPolicy(Page).instances_user_has_permission_for(user, "change")
    return pages.values("pk")


def _ratio(numerator, denominator, scale: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ReportQuery:
    by: str = "article"
    since: datetime.date | None = None
    until: datetime.date | None = None
    model: str = AttributionModel.LAST_TOUCH
    status: str = "paid"
    side_by_side: bool = False
    #: The drill-down: only this article, grouped by block and position.
    article_id: int | None = None

    def resolved(self) -> "ReportQuery":
        since, until = default_range()
        return ReportQuery(
            by=self.by, since=self.since or since, until=self.until or until, model=self.model,
            status=self.status, side_by_side=self.side_by_side, article_id=self.article_id,
        )


@dataclass
class ReportRow:
    key: str
    label: str
    model: str
    figures: Figures
    url: str = ""
    kind: str = "row"  # row | unattributed | total

    @property
    def views(self):
        return self.figures.views

    @property
    def impressions(self):
        return self.figures.impressions

    @property
    def clicks(self) -> int:
        return self.figures.clicks

    @property
    def orders(self) -> int:
        return self.figures.orders[self.model]

    @property
    def revenue(self) -> Decimal:
        return self.figures.revenue[self.model]

    @property
    def direct_revenue(self) -> Decimal:
        return self.figures.direct_revenue[self.model]

    @property
    def assisted_revenue(self) -> Decimal:
        return self.figures.assisted_revenue[self.model]

    @property
    def ctr(self) -> Decimal | None:
        """Percent of impressions that were clicked."""
        return _ratio(self.clicks, self.impressions, 100)

    @property
    def conversion_rate(self) -> Decimal | None:
        """Percent: orders ÷ clicks."""
        return _ratio(self.orders, self.clicks, 100) if self.kind != "unattributed" else None

    @property
    def average_order_value(self) -> Decimal | None:
        return money_quantize(self.revenue / self.orders) if self.orders else None

    @property
    def revenue_per_1000_views(self) -> Decimal | None:
        return _ratio(self.revenue, self.views, 1000)


@dataclass(frozen=True)
class Column:
    name: str
    heading: str
    kind: str  # text | int | money | percent
    value: Callable[[ReportRow], object]


@dataclass(frozen=True)
class Cell:
    text: str
    value: object
    kind: str


def _text(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return f"{value:.2f}"
    if kind == "percent":
        return f"{value:.2f}%"
    return str(value)


def table_columns(query: ReportQuery) -> list[Column]:
    label = _("Block") if query.article_id else str(BY_LABELS.get(query.by, _("Group")))
    columns = [
        Column("label", label, "text", lambda r: r.label),
        Column("views", _("Views"), "int", lambda r: r.views),
        Column("impressions", _("Impressions"), "int", lambda r: r.impressions),
        Column("clicks", _("Clicks"), "int", lambda r: r.clicks),
        Column("ctr", _("CTR"), "percent", lambda r: r.ctr),
        Column("orders", _("Orders"), "int", lambda r: r.orders),
        Column("revenue", _("Revenue"), "money", lambda r: r.revenue),
        Column("direct_revenue", _("Direct"), "money", lambda r: r.direct_revenue),
        Column("assisted_revenue", _("Assisted"), "money", lambda r: r.assisted_revenue),
        Column("conversion_rate", _("Conversion"), "percent", lambda r: r.conversion_rate),
        Column("average_order_value", _("Avg. order"), "money", lambda r: r.average_order_value),
        Column("revenue_per_1000_views", _("Revenue / 1,000 views"), "money", lambda r: r.revenue_per_1000_views),
    ]
    if query.side_by_side:
        columns += [
            Column(f"revenue_{model}", str(label), "money", lambda r, m=model: r.figures.revenue[m])
            for model, label in MODEL_CHOICES
        ]
    return columns


@dataclass
class ReportTable:
    """What a report shows: its rows (the unattributed row last) and the totals row.
    Screen, CSV, XLSX and the command all read ``header()`` and ``lines()``."""

    query: ReportQuery
    columns: list[Column]
    rows: list[ReportRow]
    total: ReportRow
    restricted: bool = False
    title: str = ""
    notes: list[str] = field(default_factory=list)

    def header(self) -> list[str]:
        return [column.heading for column in self.columns]

    def cells(self, row: ReportRow) -> list[Cell]:
        return [Cell(_text(value := column.value(row), column.kind), value, column.kind) for column in self.columns]

    def lines(self) -> list[tuple[ReportRow, list[Cell]]]:
        """Every row then the totals row, with their cells."""
        return [(row, self.cells(row)) for row in [*self.rows, self.total]]


def _block_labels() -> dict[str, str]:
    return {name: str(block.label or name) for name, block in ArticleBodyBlock.base_blocks.items()}


def _article_groups(by: str) -> tuple[dict[str, list[int]], dict[str, str]]:
    """Author or category → its articles' page ids, and the group labels. One query."""
    field_name = "author" if by == "author" else "category"
    groups: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    for page_id, group_id, name in ArticlePage.objects.filter(**{f"{field_name}__isnull": False}).values_list(
        "pk", f"{field_name}_id", f"{field_name}__name"
    ):
        groups.setdefault(str(group_id), []).append(page_id)
        labels[str(group_id)] = name
    return groups, labels


def _drilldown_url(page_id) -> str:
    try:
        return reverse("attribution_reports:article", args=[page_id])
    except NoReverseMatch:
        return ""


def _row_identity(query: ReportQuery, key: tuple, context: dict) -> tuple[str, str, str]:
    """(key, label, url) of a group."""
    value = key[0]
    if query.article_id:
        block_id, block_type, position = key
        kind = context["blocks"].get(block_type, block_type) or _("No block")
        label = _("%(block)s at position %(position)s") % {"block": kind, "position": position if position is not None else "—"}
        return f"{block_id}@{position if position is not None else ''}", label, ""
    if query.by == "article":
        if value is None:
            return "none", _("(no article)"), ""
        title = context["titles"].get(value)
        if title is None:
            return str(value), _("Deleted page #%(id)s") % {"id": value}, ""
        return str(value), title, _drilldown_url(value)
    if query.by in ("author", "category"):
        if not value:
            return "none", _("(no author)") if query.by == "author" else _("(no category)"), ""
        return value, context["labels"].get(value, value), ""
    if query.by == "block_type":
        return value, context["blocks"].get(value, value) or _("(no block)"), ""
    if query.by == "position":
        return ("none", _("(no position)"), "") if value is None else (str(value), str(value), "")
    empty = {"campaign": _("(no campaign)"), "curator": _("(no curator)")}[query.by]
    return value, value or empty, ""


def report_table(query: ReportQuery, *, user=None) -> ReportTable:
    """The table ``query`` asks for, as ``user`` may see it (``None``: everything).

    A fixed number of queries: six for the figures plus at most one for labels."""
    query = query.resolved()
    scope = report_scope(user)
    labels: dict[str, str] = {}
    if query.article_id:
        dimension, groups, article_ids = "block", None, [query.article_id]
    elif query.by in ("author", "category"):
        groups, labels = _article_groups(query.by)
        dimension, article_ids = "groups", scope
    else:
        dimension, groups, article_ids = query.by, None, scope
    if article_ids is None:
        rollups_advance(max_new_days=LAZY_DAYS, wait=False)
    figures = report_figures(
        dimension=dimension, since=query.since, until=query.until, status=query.status,
        groups=groups, article_ids=article_ids, models=None if query.side_by_side else [query.model],
    )
    context = {"blocks": _block_labels(), "labels": labels, "titles": {}}
    if dimension == "article":
        ids = [key[0] for key in figures.groups if key[0] is not None]
        context["titles"] = dict(Page.objects.filter(pk__in=ids).values_list("pk", "title"))

    rows = []
    for key, group in figures.groups.items():
        row_key, label, url = _row_identity(query, key, context)
        rows.append(ReportRow(key=row_key, label=label, model=query.model, figures=group, url=url))
    rows.sort(key=lambda r: (-r.revenue, -r.clicks, -(r.views or 0), r.label))
    restricted = scope is not None
    if not restricted and not query.article_id:
        rows.append(ReportRow(
            key="unattributed", label=_("Direct / unattributed"), model=query.model,
            figures=figures.unattributed, kind="unattributed",
        ))
    total = ReportRow(key="total", label=_("Total"), model=query.model, figures=figures.total, kind="total")
    return ReportTable(query=query, columns=table_columns(query), rows=rows, total=total, restricted=restricted)


@dataclass(frozen=True)
class ArticleSummary:
    since: datetime.date
    until: datetime.date
    views: int
    clicks: int
    orders: int
    revenue: Decimal


def article_summary(*, page_id: int) -> ArticleSummary:
    """The page editor's panel: one article's last 30 days under last touch, paid orders."""
    since, until = default_range()
    model = AttributionModel.LAST_TOUCH
    total = report_figures(
        dimension="article", since=since, until=until, article_ids=[page_id], models=[model],
    ).total
    return ArticleSummary(
        since=since, until=until, views=total.views or 0, clicks=total.clicks,
        orders=total.orders[model], revenue=total.revenue.get(model, ZERO),
    )

