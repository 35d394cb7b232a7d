"""The daily chart as server-rendered SVG geometry: revenue as bars (left scale),
clicks as a line (right scale). Coordinates are computed here; the template
(``reports/includes/daily_chart.html``) only draws them."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from shop.attribution.selectors import Day

WIDTH, HEIGHT = 760, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 48, 16, 28
TENTH = Decimal("0.1")


def _coord(value) -> Decimal:
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bar:
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    title: str


@dataclass(frozen=True)
class Tick:
    x: Decimal
    label: str


def daily_chart(days: list[Day]) -> dict:
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_height
    max_revenue = max((day.revenue for day in days), default=Decimal(0))
    max_clicks = max((day.clicks for day in days), default=0)
    slot = Decimal(plot_width) / max(len(days), 1)
    bars, points, ticks = [], [], []
    for index, day in enumerate(days):
        left = LEFT + slot * index
        height = Decimal(plot_height) * day.revenue / max_revenue if max_revenue > 0 else Decimal(0)
        title = _("%(date)s: revenue %(revenue)s, %(clicks)s clicks, %(views)s views") % {
            "date": day.date.isoformat(), "revenue": f"{day.revenue:.2f}", "clicks": day.clicks, "views": day.views,
        }
        bars.append(Bar(
            x=_coord(left + slot * Decimal("0.15")), y=_coord(bottom - max(height, Decimal(0))),
            width=_coord(slot * Decimal("0.7")), height=_coord(max(height, Decimal(0))), title=title,
        ))
        clicks_y = bottom - (Decimal(plot_height) * day.clicks / max_clicks if max_clicks else 0)
        points.append(f"{_coord(left + slot / 2)},{_coord(clicks_y)}")
        if index in {0, len(days) // 2, len(days) - 1}:
            ticks.append(Tick(x=_coord(left + slot / 2), label=day.date.strftime("%m-%d")))
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": bottom,
        "label_y": bottom + 18, "bars": bars, "points": " ".join(points), "ticks": ticks,
        "max_revenue": f"{max_revenue:.2f}", "max_clicks": max_clicks,
        "total_revenue": f"{sum((d.revenue for d in days), Decimal('0.00')):.2f}",
        "total_clicks": sum(d.clicks for d in days),
    }
