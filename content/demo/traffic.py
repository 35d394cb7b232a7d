"""Demo traffic: what readers did with the published articles over the last weeks, so the
marketing reports of a fresh ``make run`` show real-looking numbers.

``demo_traffic_ensure`` writes, deterministically (one seeded ``random.Random``, times
relative to now):

- page views and block impressions (``DailyEngagement``) per article and day since the
  article's date, impressions below views and falling with the block's position;
- touches (clicks of the articles' ``/go/`` links, about 2–8 % of impressions) with the
  very payloads the links sign (read back from each block's tokens), for visitors
  ``v:demo-<n>``; some came from WeChat, Xiaohongshu or the newsletter with a campaign,
  some through a curator's ``?ref=`` code, some return on later days;
- orders placed through ``checkout_complete`` (checkout keys ``demo-<n>``) by some of those
  visitors and by a few with no touch (direct), moved back to their time *before* they are
  credited, then mostly paid, shipped and delivered, a few cancelled or partly refunded
  through the real services (which reverse the credits).

Idempotent by skipping: when an order with a ``demo-`` checkout key exists the phase
writes nothing (the demo's traffic is history; a rerun must not add a second month of
it). Delete those orders, the ``v:demo-`` touches and the engagement rows to draw it again.
Stock the demo orders took is given back at the end with one adjustment movement per
SKU, so the catalogue keeps the stock its definitions give.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from content.blocks.commerce import ShoppableBlockMixin
from content.models import ArticlePage
from shop.attribution.models import DailyEngagement, DeviceClass, Touch
from shop.attribution.rollups import rollup_days_changed, rollup_touches_written
from shop.attribution.services import credits_for_order
from shop.attribution.tokens import token_read
from shop.catalogue.models import SKU
from shop.catalogue.selectors import ProductOffer, SkuOffer, offers_for
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete, order_number
from shop.money import money_quantize
from shop.orders.models import Order, OrderEvent, PaymentMethod, ShippingMethod, StockMovement
from shop.orders.services import order_cancel, order_deliver, order_ship
from shop.payments.services import payment_mark_offline_paid, payment_refund

if TYPE_CHECKING:
    from content.demo.services import SeedReport

CHECKOUT_KEY_PREFIX = "demo-"
VISITOR_PREFIX = "v:demo-"


@dataclass(frozen=True)
class TrafficPlan:
    """How much traffic to draw. The defaults make the demo; tests pass smaller ones."""

    days: int = 45
    #: Orders by visitors who clicked an article link, and by visitors who did not.
    orders: int = 200
    direct_orders: int = 16
    #: Average page views of an article on an ordinary day, before its launch spike.
    views_per_day: int = 200
    seed: int = 20250618

    @property
    def steps(self) -> int:
        """Progress-bar steps of the phase: one per day and one per order."""
        return self.days + self.orders + self.direct_orders


@dataclass(frozen=True)
class Source:
    """Where a visit came from: campaign (utm_*), curator code, referrer."""

    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    curator_code: str = ""
    referrer_host: str = ""


#: (weight, source) — about half the clicks come with no campaign at all.
SOURCES: tuple[tuple[int, Source], ...] = (
    (22, Source()),
    (14, Source(referrer_host="www.baidu.com")),
    (6, Source(referrer_host="cn.bing.com")),
    (9, Source("wechat", "social", "618", referrer_host="mp.weixin.qq.com")),
    (7, Source("wechat", "social", "spring-kitchen", referrer_host="mp.weixin.qq.com")),
    (4, Source("wechat", "social", "", referrer_host="mp.weixin.qq.com")),
    (8, Source("xiaohongshu", "social", "618", referrer_host="www.xiaohongshu.com")),
    (5, Source("xiaohongshu", "social", "double11", referrer_host="www.xiaohongshu.com")),
    (6, Source("newsletter", "email", "spring-kitchen")),
    (4, Source("newsletter", "email", "double11")),
    (5, Source(curator_code="LINXIAO", referrer_host="www.xiaohongshu.com")),
    (3, Source(curator_code="MOMOBUYS", referrer_host="mp.weixin.qq.com")),
    (2, Source(curator_code="TOMOUTDOORS")),
)
DEVICES: tuple[tuple[int, str], ...] = (
    (62, DeviceClass.MOBILE), (28, DeviceClass.DESKTOP), (8, DeviceClass.TABLET), (2, DeviceClass.OTHER),
)
#: Share of a day's clicks per hour of the day (lunch and late evening are busiest).
HOUR_WEIGHTS = (1, 1, 0, 0, 0, 0, 1, 2, 4, 4, 3, 4, 7, 7, 4, 3, 3, 4, 5, 6, 8, 9, 9, 5)
#: Typical click-through rate per block type.
BLOCK_CTR = {"product_card": 0.05, "product_grid": 0.035, "comparison_table": 0.06, "shop_the_look": 0.045}
#: Chance that a click comes from a reader who clicked on an earlier day.
RETURNING = 0.3

CITIES = (
    ("上海市", "上海市", "徐汇区"), ("北京市", "北京市", "朝阳区"), ("广东省", "深圳市", "南山区"),
    ("浙江省", "杭州市", "西湖区"), ("四川省", "成都市", "武侯区"), ("江苏省", "南京市", "鼓楼区"),
    ("广东省", "广州市", "天河区"), ("湖北省", "武汉市", "洪山区"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
GIVEN_NAMES = ("晓雨", "子涵", "一诺", "浩然", "雨桐", "思远", "佳怡", "俊杰", "梓萱", "明轩", "欣然", "嘉豪")
CARRIER = "顺丰速运 SF Express"


@dataclass(frozen=True)
class LinkTarget:
    """One signed ``/go/`` link of a block, as its token says, with the offer it shows."""

    article_page_id: int
    block_id: str
    block_type: str
    position: int | None
    offer: ProductOffer
    lead: SkuOffer


@dataclass(frozen=True)
class BlockSlot:
    article_page_id: int
    block_id: str
    block_type: str
    position: int
    #: How far down the page the block sits, 0 (top) to 1 (bottom).
    depth: float
    links: tuple[LinkTarget, ...]


@dataclass(frozen=True)
class ArticleTraffic:
    page_id: int
    date: datetime.date
    slots: tuple[BlockSlot, ...]


@dataclass
class Visitor:
    visitor_id: str
    source: Source
    device: str
    touches: list[tuple[Touch, LinkTarget]] = field(default_factory=list)


@dataclass
class TrafficSummary:
    """What the phase wrote (all zero when it was skipped)."""

    skipped: bool = False
    views: int = 0
    impressions: int = 0
    touches: int = 0
    orders: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.skipped:
            return "skipped (demo orders exist)"
        statuses = ", ".join(f"{count} {status}" for status, count in sorted(self.statuses.items()))
        return (f"{self.views} views, {self.impressions} impressions, {self.touches} touches, "
                f"{self.orders} orders ({statuses})")


def _noop(n: int = 1) -> None:
    return None


def demo_traffic_exists() -> bool:
    return Order.objects.filter(checkout_key__startswith=CHECKOUT_KEY_PREFIX).exists()


@transaction.atomic
def demo_traffic_ensure(
    *, report: SeedReport | None = None, advance: Callable[[int], Any] = _noop,
    articles: Iterable[ArticlePage] | None = None, plan: TrafficPlan = TrafficPlan(),
    now: datetime.datetime | None = None,
) -> TrafficSummary:
    """Draw ``plan.days`` of reader traffic for ``articles`` (every live article by
    default) and the orders it led to; see the module docstring.

    One transaction. Skipped entirely when demo orders (checkout key ``demo-…``) exist.
    Every order goes through checkout and the payment and order services, so credits
    of every model sum to net sales exactly as for real orders."""
    if demo_traffic_exists():
        advance(plan.steps)
        return TrafficSummary(skipped=True)
    now = now or timezone.now()
    rng = random.Random(plan.seed)
    pages = list(articles) if articles is not None else list(ArticlePage.objects.live().order_by("pk"))
    catalogue = _article_traffic(pages)
    summary = TrafficSummary()
    visitors = _engagement_and_touches(catalogue, plan=plan, rng=rng, now=now, summary=summary, advance=advance)
    _orders_place(visitors, plan=plan, rng=rng, now=now, summary=summary, advance=advance,
                  targets=[link for article in catalogue for slot in article.slots for link in slot.links])
    if report is not None:
        report.created["touch"] = summary.touches
        report.created["order"] = summary.orders
    return summary


# ------------------------------------------------------------------ what can be clicked

def _article_traffic(pages: list[ArticlePage]) -> list[ArticleTraffic]:
    """Every shoppable block of the articles with the links it renders: the payloads are
    read back from the blocks' own signed tokens, so demo touches match real clicks."""
    product_ids, sku_ids = set(), set()
    for page in pages:
        for child in page.body:
            if isinstance(child.block, ShoppableBlockMixin):
                products, skus = child.block.product_refs(child.value)
                product_ids.update(products)
                sku_ids.update(skus)
    offers = offers_for(product_ids=product_ids, sku_ids=sku_ids)
    result = []
    for page in pages:
        positions = {child.id: i for i, child in enumerate(page.body, start=1) if child.id}
        slots = []
        for i, child in enumerate(page.body, start=1):
            if not (child.id and isinstance(child.block, ShoppableBlockMixin)):
                continue
            context = child.block.get_context(child.value, parent_context={
                "page": page, "offers": offers, "block_id": child.id, "block_positions": positions,
            })
            links = []
            for offer, link in _offer_links(context):
                payload = token_read(link["token"]) if link else None
                if payload is None or offer is None or offer.lead is None:
                    continue
                links.append(LinkTarget(payload.article_page_id, payload.block_id, payload.block_type,
                                        payload.position, offer, offer.lead))
            if links:
                slots.append(BlockSlot(page.pk, child.id, child.block_type, i,
                                       (i - 1) / max(len(page.body) - 1, 1), tuple(links)))
        result.append(ArticleTraffic(page.pk, page.date, tuple(slots)))
    return result


def _offer_links(context: dict) -> list[tuple[ProductOffer | None, dict | None]]:
    if "link" in context:  # a product card
        return [(context.get("offer"), context["link"])]
    for key in ("items", "columns", "spots"):  # grid, comparison, shop the look
        if key in context:
            return [(entry.get("offer"), entry.get("link")) for entry in context[key]]
    return []


# ------------------------------------------------------------------ views, impressions, clicks

def _pick(rng: random.Random, weighted: tuple[tuple[int, Any], ...]) -> Any:
    return rng.choices([value for _, value in weighted], weights=[w for w, _ in weighted])[0]


def _stochastic_round(rng: random.Random, value: float) -> int:
    return int(value + rng.random())


def _moment(rng: random.Random, day: datetime.date, *, now: datetime.datetime) -> datetime.datetime:
    """A time on ``day`` (site time zone) at a plausible hour, never after ``now``."""
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60),
                                                                               rng.randrange(60))))
    if moment >= now:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        moment = start + (now - start) * rng.random()
    return moment


def _engagement_and_touches(
    catalogue: list[ArticleTraffic], *, plan: TrafficPlan, rng: random.Random, now: datetime.datetime,
    summary: TrafficSummary, advance: Callable[[int], Any],
) -> list[Visitor]:
    today = timezone.localtime(now).date()
    first_day = today - datetime.timedelta(days=plan.days - 1)
    popularity = {a.page_id: rng.uniform(0.5, 1.6) for a in catalogue}
    block_ctr = {
        slot.block_id: min(0.085, max(0.018, BLOCK_CTR.get(slot.block_type, 0.04) * rng.uniform(0.6, 1.5)))
        for a in catalogue for slot in a.slots
    }
    rows: list[DailyEngagement] = []
    visitors: list[Visitor] = []
    recent: list[Visitor] = []  # visitors who clicked in the last two weeks, before today
    last_seen: dict[str, datetime.date] = {}
    touches: list[Touch] = []
    for offset in range(plan.days):
        day = first_day + datetime.timedelta(days=offset)
        clicks: list[tuple[datetime.datetime, LinkTarget]] = []
        for article in catalogue:
            if article.date > day:
                continue
            age = (day - article.date).days
            weekend = 1.15 if day.weekday() >= 5 else 1.0
            shape = 0.45 + 1.4 * math.exp(-age / 6)
            views = max(3, int(plan.views_per_day * popularity[article.page_id] * shape * weekend
                               * rng.uniform(0.8, 1.2)))
            if day == today:
                views = max(1, int(views * min(1.0, (now - timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time.min))).total_seconds() / 86400)))
            rows.append(DailyEngagement(date=day, article_page_id=article.page_id, block_id="", views=views))
            summary.views += views
            for slot in article.slots:
                impressions = min(views, int(views * (0.93 - 0.5 * slot.depth) * rng.uniform(0.88, 1.05)))
                rows.append(DailyEngagement(date=day, article_page_id=article.page_id, block_id=slot.block_id,
                                            block_type=slot.block_type, position=slot.position,
                                            impressions=impressions))
                summary.impressions += impressions
                count = min(impressions, _stochastic_round(rng, impressions * block_ctr[slot.block_id]
                                                           * rng.uniform(0.8, 1.2)))
                for _ in range(count):
                    # Earlier items of a grid or a look are clicked more often.
                    weights = [1 / n for n in range(1, len(slot.links) + 1)]
                    clicks.append((_moment(rng, day, now=now), rng.choices(slot.links, weights=weights)[0]))
        clicks.sort(key=lambda click: click[0])
        recent = [v for v in recent if (day - last_seen[v.visitor_id]).days <= 14]
        returning_pool = list(recent)
        for moment, target in clicks:
            if returning_pool and rng.random() < RETURNING:
                visitor = rng.choice(returning_pool)
                source = visitor.source if rng.random() < 0.6 else _pick(rng, SOURCES)
            else:
                visitor = Visitor(f"{VISITOR_PREFIX}{len(visitors) + 1}", _pick(rng, SOURCES), _pick(rng, DEVICES))
                visitors.append(visitor)
                recent.append(visitor)
                source = visitor.source
            touch = Touch(
                visitor_id=visitor.visitor_id, created_at=moment, article_page_id=target.article_page_id,
                block_id=target.block_id, block_type=target.block_type, position=target.position,
                sku_id=target.lead.id, utm_source=source.utm_source, utm_medium=source.utm_medium,
                utm_campaign=source.utm_campaign, curator_code=source.curator_code,
                referrer_host=source.referrer_host, device=visitor.device,
            )
            visitor.touches.append((touch, target))
            touches.append(touch)
            last_seen[visitor.visitor_id] = day
        advance(1)
    _engagement_write(rows)
    Touch.objects.bulk_create(touches, batch_size=500)
    rollup_touches_written(moments=[touch.created_at for touch in touches])
    rollup_days_changed(days={row.date for row in rows})
    summary.touches = len(touches)
    return visitors


def _engagement_write(rows: list[DailyEngagement]) -> None:
    """Insert the counters; a day and block the beacon already counted gets the demo's
    numbers added with ``F()`` instead (the table is unique per day and block)."""
    if not rows:
        return
    days = {row.date for row in rows}
    existing = set(DailyEngagement.objects.filter(
        date__gte=min(days), date__lte=max(days), article_page_id__in={row.article_page_id for row in rows},
    ).values_list("date", "article_page_id", "block_id"))
    fresh = []
    for row in rows:
        if (row.date, row.article_page_id, row.block_id) in existing:
            DailyEngagement.objects.filter(date=row.date, article_page_id=row.article_page_id,
                                           block_id=row.block_id).update(
                views=F("views") + row.views, impressions=F("impressions") + row.impressions)
        else:
            fresh.append(row)
    DailyEngagement.objects.bulk_create(fresh, batch_size=500)


# ------------------------------------------------------------------ orders

@dataclass
class PlannedOrder:
    visitor_id: str
    placed_at: datetime.datetime
    lines: list[CheckoutLine]


def _weighted_sample(rng: random.Random, items: list[Visitor], weights: list[float], k: int) -> list[Visitor]:
    """``k`` items without replacement, likelier by weight (Efraimidis–Spirakis)."""
    keyed = sorted(zip(items, weights, strict=True), key=lambda iw: rng.random() ** (1 / iw[1]), reverse=True)
    return [item for item, _ in keyed[:k]]


def _buyable(offer: ProductOffer, preferred: SkuOffer, stock: dict[int, int], quantity: int) -> SkuOffer | None:
    """The clicked SKU if it can be bought, else another variant of the same product."""
    candidates = [preferred, *sorted((s for s in offer.skus if s.id != preferred.id), key=lambda s: s.price)]
    for sku in candidates:
        if sku.available and offer.product.active and stock.get(sku.id, sku.stock) >= quantity:
            return sku
    return None


def _line(rng: random.Random, target: LinkTarget | None, offer: ProductOffer, preferred: SkuOffer,
          stock: dict[int, int]) -> CheckoutLine | None:
    quantity = 2 if preferred.price < Decimal("120") and rng.random() < 0.25 else 1
    sku = _buyable(offer, preferred, stock, quantity)
    if sku is None:
        return None
    stock[sku.id] = stock.get(sku.id, sku.stock) - quantity
    keys = {} if target is None else {
        "article_page_id": target.article_page_id, "block_id": target.block_id,
        "block_type": target.block_type, "position": target.position,
    }
    return CheckoutLine(sku_code=sku.code, quantity=quantity, **keys)


def _orders_plan(visitors: list[Visitor], *, targets: list[LinkTarget], plan: TrafficPlan, rng: random.Random,
                 now: datetime.datetime, stock: dict[int, int]) -> list[PlannedOrder]:
    latest = now - datetime.timedelta(minutes=5)
    buyers = _weighted_sample(rng, visitors, [1 + len(v.touches) for v in visitors], len(visitors))
    planned = []
    for visitor in buyers:
        if len(planned) == plan.orders:
            break
        touches = sorted(visitor.touches, key=lambda t: t[0].created_at)
        # Mostly the last click decided; sometimes an earlier one (later clicks then came after).
        index = len(touches) - 1 if rng.random() < 0.8 else rng.randrange(len(touches))
        touch, target = touches[index]
        delay = rng.choices(
            [datetime.timedelta(minutes=rng.uniform(2, 40)), datetime.timedelta(hours=rng.uniform(1, 24)),
             datetime.timedelta(days=rng.uniform(1, 6))], weights=[60, 30, 10])[0]
        placed_at = touch.created_at + delay
        if placed_at > latest:
            placed_at = touch.created_at + (latest - touch.created_at) * rng.random()
        line = _line(rng, target, target.offer, target.lead, stock)
        if line is None:
            continue
        lines = [line]
        if rng.random() < 0.28:  # something else they had looked at, or another pick of the article
            clicked = [tg for _, tg in touches[:index] if tg.offer.product.pk != target.offer.product.pk]
            others = clicked or [t for t in targets if t.article_page_id == target.article_page_id
                                 and t.offer.product.pk != target.offer.product.pk]
            if others:
                extra = rng.choice(others)
                added = _line(rng, extra if clicked else None, extra.offer, extra.lead, stock)
                if added is not None and added.sku_code != line.sku_code:
                    lines.append(added)
        planned.append(PlannedOrder(visitor.visitor_id, placed_at, lines))
    first = now - datetime.timedelta(days=plan.days - 1)
    for n in range(plan.direct_orders):
        if not targets:
            break
        target = rng.choice(targets)
        line = _line(rng, None, target.offer, target.lead, stock)
        if line is not None:
            placed_at = first + (latest - first) * rng.random()
            planned.append(PlannedOrder(f"{VISITOR_PREFIX}direct-{n + 1}", placed_at, [line]))
    planned.sort(key=lambda order: order.placed_at)
    return planned


def _orders_place(visitors: list[Visitor], *, targets: list[LinkTarget], plan: TrafficPlan, rng: random.Random,
                  now: datetime.datetime, summary: TrafficSummary, advance: Callable[[int], Any]) -> None:
    sku_ids = {sku.id for target in targets for sku in target.offer.skus}
    stock_before = dict(SKU.objects.filter(pk__in=sku_ids).values_list("pk", "stock"))
    stock = dict(stock_before)
    planned = _orders_plan(visitors, targets=targets, plan=plan, rng=rng, now=now, stock=stock)
    for n, order_plan in enumerate(planned, start=1):
        status = _order_place(order_plan, number=n, rng=rng, now=now)
        summary.statuses[status] = summary.statuses.get(status, 0) + 1
        summary.orders += 1
        advance(1)
    advance(max(0, plan.orders + plan.direct_orders - len(planned)))
    _stock_restore(stock_before)


def _order_place(planned: PlannedOrder, *, number: int, rng: random.Random, now: datetime.datetime) -> str:
    """Place one order through checkout, move it to its time, credit it, and take it
    through payment, shipping and (for a few) cancellation or a partial refund."""
    province, city, district = rng.choice(CITIES)
    order = checkout_complete(
        idempotency_key=f"{CHECKOUT_KEY_PREFIX}{number}", lines=planned.lines,
        email=f"reader{number}@example.com",
        address=ShippingAddress(
            recipient=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES), phone=f"139{rng.randrange(10**8):08d}",
            province=province, city=city, district=district,
            address_line=f"{rng.choice(('长乐路', '建国路', '科技园路', '文三路', '人民南路'))}{rng.randrange(1, 999)}号",
        ),
        shipping_method=ShippingMethod.EXPRESS if rng.random() < 0.15 else ShippingMethod.STANDARD,
        payment_method=PaymentMethod.OFFLINE, visitor_id=planned.visitor_id,
    )
    placed_at = planned.placed_at
    order.placed_at = placed_at
    unpaid = datetime.timedelta(minutes=settings.HAOWU_UNPAID_ORDER_MINUTES)
    Order.objects.filter(pk=order.pk).update(placed_at=placed_at, expires_at=placed_at + unpaid,
                                             number=order_number(order))
    # Credited again at its real time: the touches after it no longer count, those
    # within the lookback before it do.
    credits_for_order(order_id=order.pk)
    times = [placed_at]
    age = now - placed_at
    roll = rng.random()
    if age < datetime.timedelta(hours=18) and roll < 0.4:
        # Still waiting for the transfer: it keeps the pay-by time checkout gave it.
        Order.objects.filter(pk=order.pk).update(expires_at=order.expires_at)
        status = "pending_payment"
    elif roll < 0.03:
        order_cancel(order_id=order.pk, note="Demo: the reader changed their mind.")
        times.append(placed_at + datetime.timedelta(minutes=rng.uniform(5, 30)))
        status = "cancelled"
    else:
        paid_at = placed_at + datetime.timedelta(minutes=rng.uniform(2, 90))
        payment_mark_offline_paid(order_id=order.pk, actor=None, note="Demo: bank transfer received.")
        Order.objects.filter(pk=order.pk).update(paid_at=paid_at)
        times.append(paid_at)
        status = "paid"
        if rng.random() < 0.025:
            order_cancel(order_id=order.pk, note="Demo: out of the delivery area.")
            times.append(paid_at + datetime.timedelta(hours=2))
            status = "cancelled"
        elif age > datetime.timedelta(days=2):
            order_ship(order_id=order.pk, carrier=CARRIER, tracking_number=f"SF{rng.randrange(10**12):012d}")
            times.append(paid_at + datetime.timedelta(hours=rng.uniform(6, 30)))
            status = "shipped"
            if age > datetime.timedelta(days=5):
                order_deliver(order_id=order.pk)
                times.append(times[-1] + datetime.timedelta(days=rng.uniform(1, 3)))
                status = "delivered"
        if status in ("shipped", "delivered") and rng.random() < 0.07:
            order = Order.objects.get(pk=order.pk)
            lines = list(order.lines.order_by("pk"))
            amount = lines[-1].line_total if len(lines) > 1 else money_quantize(order.total * Decimal("0.3"))
            payment_refund(order_id=order.pk, amount=amount, note="Demo: one item returned.")
            times.append(times[-1] + datetime.timedelta(days=rng.uniform(0.5, 2)))
            status += " + partly refunded"
    for event, moment in zip(OrderEvent.objects.filter(order_id=order.pk).order_by("pk"), times, strict=False):
        OrderEvent.objects.filter(pk=event.pk).update(created_at=min(moment, now))
    return status


def _stock_restore(stock_before: dict[int, int]) -> None:
    """Give back what the demo orders took, with an adjustment movement per SKU."""
    movements = []
    for pk, current in SKU.objects.filter(pk__in=stock_before).values_list("pk", "stock"):
        delta = stock_before[pk] - current
        if delta:
            SKU.objects.filter(pk=pk).update(stock=F("stock") + delta)
            movements.append(StockMovement(sku_id=pk, delta=delta, reason=StockMovement.Reason.ADJUSTMENT,
                                           note="Demo orders: stock restored to the catalogue's figure."))
    StockMovement.objects.bulk_create(movements)
