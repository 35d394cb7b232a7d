"""Attribution at scale: ``/go/`` redirects, crediting throughput and the 30-day report by
article, each against a baseline measured in the same run. Meant for PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/attribution.py
        [--touches 1000000] [--orders 40000] [--large (5M touches, 200k orders)]

Builds a throwaway test database with synthetic history (60 days, ~300 articles, ~200
SKUs; touches and credits written with COPY on PostgreSQL) and measures:

1. ``/go/<token>/`` requests/s through the real view against a bare redirect + one
   INSERT view writing the same touch rows (its link keys from a dictionary, not a
   signed token), both through the test Client and the whole middleware stack.
   Goal: ratio ≥ 0.7.
2. Orders/s of ``credits_for_order`` on orders whose visitor has 1–8 touches in the
   lookback window (no goal; the pure ``credit_shares`` arithmetic alongside).
3. The time to roll up the closed days (once, as cron does), then the median latency of
   the 30-day "by article" report (``content.reports.report_table``,
   last touch, paid orders) against the raw GROUP BY it replaces.
   Goal: ≤ 200 ms at 5M touches.

On SQLite it runs too (bulk INSERTs instead of COPY), but the numbers say little about
production. Reports and always exits 0.
"""

import argparse
import gc
import random
import secrets
import statistics
import sys
import time
import types
import uuid
from collections import namedtuple
from datetime import timedelta
from decimal import Decimal

import harness
from django.db import connection
from django.http import HttpResponseRedirect
from django.test import Client, override_settings
from django.test.utils import (
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import path
from django.utils import timezone
from tqdm import tqdm

GO_GOAL = 0.7
REPORT_GOAL_MS = 200
REPORT_GOAL_TOUCHES = 5_000_000
DAYS = 60
ARTICLES = 300
FIRST_ARTICLE_ID = 10_000
PRODUCTS = 100  # two SKUs each
BATCH = 10_000
#: Share of orders no touch explains (their visitor never clicked an article link).
UNATTRIBUTED_SHARE = 0.15
USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
BLOCK_TYPES = ("product_card", "product_grid", "comparison_table", "shop_the_look")
ITEMS_PER_BLOCK = {"product_card": 1, "product_grid": 4, "comparison_table": 3, "shop_the_look": 2}
CAMPAIGNS = [
    ("wechat", "social", "618-picks"), ("weibo", "social", "spring-edit"),
    ("xiaohongshu", "social", "double-11"), ("newsletter", "email", "weekly-digest"),
    ("douyin", "video", "unboxing"), ("baidu", "cpc", "brand"),
]
REFERRERS = ["", "", "", "mp.weixin.qq.com", "www.xiaohongshu.com", "weibo.com", "www.baidu.com"]
DEVICES = ["mobile", "desktop", "tablet", "other"]
DEVICE_WEIGHTS = [65, 25, 7, 3]
CURATORS = [f"curator{i:02d}" for i in range(40)]

#: A touch as crediting sees it, plus the keys credits copy (``services.KEY_FIELDS``).
BenchTouch = namedtuple("BenchTouch", [
    "id", "created_at", "sku_id", "article_page_id", "block_id", "block_type", "position",
    "utm_source", "utm_medium", "utm_campaign", "utm_content", "curator_code",
])
TOUCH_COLUMNS = (
    "id", "visitor_id", "user_id", "created_at", "article_page_id", "block_id", "block_type", "position",
    "sku_id", "utm_source", "utm_medium", "utm_campaign", "utm_content", "curator_code", "referrer_host", "device",
)
ENGAGEMENT_COLUMNS = ("date", "article_page_id", "block_id", "block_type", "position", "views", "impressions")
CREDIT_COLUMNS = (
    "order_id", "model", "kind", "touch_id", "article_page_id", "block_id", "block_type", "position", "sku_id",
    "utm_source", "utm_medium", "utm_campaign", "utm_content", "curator_code",
    "revenue", "direct_revenue", "assisted_revenue", "order_placed_at", "status_group", "created_at",
)


def write_rows(table, columns, rows, *, total, desc):
    """Write ``rows`` (tuples in ``columns`` order): COPY on PostgreSQL, INSERTs of
    ``BATCH`` rows elsewhere. Returns how many were written."""
    count = 0
    bar = tqdm(total=total, desc=desc, unit="row", unit_scale=True, leave=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
                    if count % BATCH == 0:
                        bar.update(BATCH)
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch = []
            for row in rows:
                batch.append(row)
                count += 1
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    bar.update(count - bar.n)
    bar.close()
    return count


def reset_sequence(model):
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def analyze():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- synthetic history -------------------------------------------------------------------


class History:
    """Articles with product blocks, SKUs, and the generators of touches and orders."""

    def __init__(self, rng, now):
        self.rng = rng
        self.now = now
        self.start = now - timedelta(days=DAYS)
        self.skus = []  # (id, code, slug, price)
        self.blocks = {}  # article id -> [(block_id, block_type, position, [sku ids])]
        self.article_ids = list(range(FIRST_ARTICLE_ID, FIRST_ARTICLE_ID + ARTICLES))
        # Popularity falls off with rank, as a few articles always carry most traffic.
        weights = [1 / (rank + 1) ** 0.8 for rank in range(ARTICLES)]
        self.article_cum = list(_cumulative(weights))
        self.touch_id = 0

    def build_catalogue(self):
        from shop.catalogue.models import SKU, Product

        products = Product.objects.bulk_create(
            Product(title=f"好物 {i}", slug=f"bench-product-{i}", summary="Bench product") for i in range(PRODUCTS)
        )
        skus = SKU.objects.bulk_create(
            SKU(product=product, code=f"BENCH-{i}-{k}", price=Decimal(self.rng.choice(["39.90", "59.00", "89.00",
                                                                                      "129.00", "199.00", "349.00"])),
                stock=10**6, sort_order=k)
            for i, product in enumerate(products) for k in range(2)
        )
        self.skus = [(sku.pk, sku.code, sku.product.slug, sku.price) for sku in skus]
        self.sku_price = {pk: price for pk, _, _, price in self.skus}
        self.sku_code = {pk: code for pk, code, _, _ in self.skus}
        sku_ids = [pk for pk, *_ in self.skus]
        for article in self.article_ids:
            blocks = []
            for position in range(self.rng.randint(4, 10)):
                block_type = self.rng.choice(BLOCK_TYPES)
                items = self.rng.sample(sku_ids, ITEMS_PER_BLOCK[block_type])
                blocks.append((str(uuid.uuid4()), block_type, position, items))
            self.blocks[article] = blocks

    def link(self):
        """A random (article, block, SKU) a reader could click."""
        rng = self.rng
        article = rng.choices(self.article_ids, cum_weights=self.article_cum)[0]
        blocks = self.blocks[article]
        # Readers click blocks near the top more often.
        block_id, block_type, position, items = blocks[min(int(rng.expovariate(0.35)), len(blocks) - 1)]
        return article, block_id, block_type, position, rng.choice(items)

    def touch(self, visitor, created_at):
        """One touch row (``TOUCH_COLUMNS``) and its crediting view."""
        rng = self.rng
        self.touch_id += 1
        article, block_id, block_type, position, sku_id = self.link()
        utm = rng.choice(CAMPAIGNS) if rng.random() < 0.35 else ("", "", "")
        curator = rng.choice(CURATORS) if rng.random() < 0.05 else ""
        row = (
            self.touch_id, visitor, None, created_at, article, block_id, block_type, position, sku_id,
            *utm, "", curator, rng.choice(REFERRERS), rng.choices(DEVICES, weights=DEVICE_WEIGHTS)[0],
        )
        view = BenchTouch(self.touch_id, created_at, sku_id, article, block_id, block_type, position,
                          *utm, "", curator)
        return row, view

    def plan_orders(self, count, lookback):
        """Each order's visitor, time and touches (1–8 inside the lookback window, oldest
        first; none for the unattributed share)."""
        rng = self.rng
        plans = []
        span = (self.now - self.start).total_seconds() - 60
        for _ in range(count):
            placed = self.start + timedelta(seconds=rng.uniform(0, span))
            visitor = "v:" + secrets.token_urlsafe(18)
            touches = []
            if rng.random() >= UNATTRIBUTED_SHARE:
                earliest = max(self.start, placed - lookback)
                window = (placed - earliest).total_seconds()
                times = sorted(earliest + timedelta(seconds=rng.uniform(0, window)) for _ in range(rng.randint(1, 8)))
                touches = [self.touch(visitor, moment) for moment in times]
            plans.append((visitor, placed, touches))
        return plans

    def browsing_touches(self, count):
        """Touches of readers who bought nothing (yet), over the whole range."""
        rng = self.rng
        visitors = ["v:" + secrets.token_urlsafe(18) for _ in range(max(1, count // 4))]
        span = (self.now - self.start).total_seconds()
        for _ in range(count):
            yield self.touch(rng.choice(visitors), self.start + timedelta(seconds=rng.uniform(0, span)))[0]


def _cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def create_orders(history, plans):
    """Orders and their lines, in batches; returns ``[(order_id, total, lines, touches, placed, status)]``."""
    from shop.orders.models import Order, OrderLine, OrderStatus

    rng = history.rng
    statuses = [OrderStatus.PAID] * 75 + [OrderStatus.SHIPPED] * 8 + [OrderStatus.DELIVERED] * 7 \
        + [OrderStatus.PENDING_PAYMENT] * 10
    sku_ids = list(history.sku_price)
    created = []
    for first in tqdm(range(0, len(plans), BATCH), desc="orders", leave=False):
        orders, lines = [], []
        for i, (visitor, placed, touches) in enumerate(plans[first:first + BATCH], start=first):
            clicked = [view.sku_id for _, view in touches]
            chosen = [rng.choice(clicked) if clicked and rng.random() < 0.7 else rng.choice(sku_ids)]
            chosen += rng.sample(sku_ids, rng.choices([0, 1, 2], weights=[60, 30, 10])[0])
            order_lines = []
            for sku_id in chosen:
                quantity = rng.choice([1, 1, 1, 2])
                price = history.sku_price[sku_id]
                order_lines.append((sku_id, price, quantity, price * quantity))
            subtotal = sum(line[3] for line in order_lines)
            shipping = Decimal("0.00") if subtotal >= 99 else Decimal("12.00")
            status = rng.choice(statuses)
            orders.append(Order(
                number=f"HWB{i:09d}", checkout_key=f"bench-{i}", email=f"reader{i}@example.com",
                visitor_id=visitor, status=status, subtotal=subtotal, shipping_total=shipping,
                total=subtotal + shipping, shipping_method="standard", payment_method="offline",
                recipient="林", phone="13800000000", city="杭州", address_line="文三路 1 号",
                placed_at=placed, paid_at=None if status == OrderStatus.PENDING_PAYMENT else placed,
            ))
            lines.append(order_lines)
        Order.objects.bulk_create(orders, batch_size=BATCH)
        line_rows = []
        for order, order_lines, (_, placed, touches) in zip(orders, lines, plans[first:first + BATCH], strict=True):
            for sku_id, price, quantity, line_total in order_lines:
                line_rows.append(OrderLine(
                    order=order, sku_id=sku_id, sku_code=history.sku_code[sku_id], product_name="好物",
                    unit_price=price, quantity=quantity, line_total=line_total,
                ))
            created.append((order.pk, order.total, order_lines, [view for _, view in touches], placed, order.status))
        OrderLine.objects.bulk_create(line_rows, batch_size=BATCH)
    return created


def create_engagement(history):
    """Daily page views and block impressions per article (the counters the beacon keeps)."""
    from shop.attribution.models import DailyEngagement

    rng = history.rng
    today = timezone.localdate(history.now)
    weights = [history.article_cum[0]] + [b - a for a, b in zip(history.article_cum, history.article_cum[1:],
                                                                  strict=False)]

    def rows():
        for article, weight in zip(history.article_ids, weights, strict=True):
            for day in range(DAYS + 1):
                date = today - timedelta(days=day)
                views = int(rng.uniform(0.5, 1.5) * weight * 4000)
                yield date, article, "", "", None, views, 0
                for block_id, block_type, position, _ in history.blocks[article]:
                    yield date, article, block_id, block_type, position, 0, int(views * rng.uniform(0.2, 0.9))

    total = (DAYS + 1) * sum(1 + len(blocks) for blocks in history.blocks.values())
    return write_rows(DailyEngagement._meta.db_table, ENGAGEMENT_COLUMNS, rows(), total=total, desc="daily engagement")


def credit_rows(order_id, total, lines, touches, placed, status, now, half_life):
    """The ``order`` credit rows ``credits_for_order`` would write, as COPY tuples."""
    from shop.attribution.crediting import OrderLineAmount, credit_shares
    from shop.attribution.models import STATUS_GROUP_OF

    shares = credit_shares(
        revenue=total, lines=[OrderLineAmount(sku_id, line_total) for sku_id, _, _, line_total in lines],
        touches=touches, half_life=half_life,
    )
    for model, model_shares in shares.items():
        for share in model_shares:
            t = share.touch
            keys = (t.id, t.article_page_id, t.block_id, t.block_type, t.position, t.sku_id, t.utm_source,
                    t.utm_medium, t.utm_campaign, t.utm_content, t.curator_code) if t is not None \
                else (None, None, "", "", None, None, "", "", "", "", "")
            yield (order_id, model, "order", *keys, share.revenue, share.direct_revenue, share.assisted_revenue,
                   placed, STATUS_GROUP_OF[status], now)


def bulk_credit(orders, now, half_life):
    from shop.attribution.models import AttributionCredit

    rows = (row for order in tqdm(orders, desc="credits (bulk)", leave=False)
            for row in credit_rows(*order, now, half_life))
    start = time.perf_counter()
    written = write_rows(AttributionCredit._meta.db_table, CREDIT_COLUMNS, rows, total=None, desc="credit rows")
    return written, len(orders) / (time.perf_counter() - start)


# --- 1. /go/ redirects --------------------------------------------------------------------


def _bare_go(request, token):
    """The baseline: record the link's touch and redirect, nothing else. The link's keys
    come from a dictionary instead of a signed token, but the row is the one ours
    writes, so both views put the same keys in the same index positions (a constant
    article and SKU would touch one hot index page where real clicks spread over all)."""
    from shop.attribution.models import Touch

    article, block_id, block_type, position, sku_id = BARE_LINKS[token]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Touch._meta.db_table} (visitor_id, created_at, article_page_id, block_id, block_type,"
            " position, sku_id, utm_source, utm_medium, utm_campaign, utm_content, curator_code, referrer_host,"
            " device) VALUES (%s, %s, %s, %s, %s, %s, %s, '', '', '', '', '', '', 'mobile')",
            ["v:" + request.COOKIES.get("hw_vid", ""), timezone.now(), article, block_id, block_type, position,
             sku_id],
        )
    return HttpResponseRedirect(BARE_TARGET[0])


#: The bare view's links (token → article, block id, block type, position, SKU id) and
#: its one redirect target.
BARE_LINKS: dict[str, tuple] = {}
BARE_TARGET = ["/"]
BARE_URLCONF = "haowu_bench_attribution_urls"
sys.modules[BARE_URLCONF] = types.ModuleType(BARE_URLCONF)
sys.modules[BARE_URLCONF].urlpatterns = [path("go/<str:token>/", _bare_go)]


class Visitors:
    """A new visitor id per request, so de-duplication and rate limits never answer first."""

    def __init__(self):
        self.count = 0

    def next(self):
        self.count += 1
        return f"benchvisitor{self.count:012d}"


def go_run(client, tokens, requests, visitors, *, consent):
    # The cache is not cleared between rounds, as a server's is not: every request is a new
    # visitor, so rate limits and repeat checks never answer first, and buy-link targets
    # stay cached as they do for a site's popular links.
    start = time.perf_counter()
    for i in range(requests):
        client.cookies.clear()
        visitor = visitors.next()
        if consent:
            client.cookies["hw_consent"] = "1"
            client.cookies["hw_vid"] = visitor
        # Without a cookie the rate limit counts by address: one address per reader.
        address = f"10.{visitors.count >> 16 & 255}.{visitors.count >> 8 & 255}.{visitors.count & 255}"
        response = client.get(f"/go/{tokens[i % len(tokens)]}/", HTTP_USER_AGENT=USER_AGENT,
                              HTTP_REFERER="http://testserver/articles/bench/", REMOTE_ADDR=address)
        assert response.status_code == 302, response.status_code
    return requests / (time.perf_counter() - start)


def measure_go(history, requests, rounds):
    from django.urls import reverse

    from shop.attribution.models import Touch
    from shop.attribution.tokens import LinkPayload, token_sign

    _, code, slug, _ = history.skus[0]
    BARE_TARGET[0] = reverse("catalogue:product", kwargs={"slug": slug}) + f"?sku={code}"
    tokens = []
    for _ in range(500):
        link = history.link()
        tokens.append(token_sign(LinkPayload(*link)))
        BARE_LINKS[tokens[-1]] = link
    before = Touch.objects.count()
    last_id = Touch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client, visitors = Client(), Visitors()
    go_run(client, tokens, 200, visitors, consent=True)  # warm: URL resolver, templates, connections
    with override_settings(ROOT_URLCONF=BARE_URLCONF):
        go_run(client, tokens, 200, visitors, consent=True)
    real, bare, fresh = [], [], []
    for _ in tqdm(range(rounds), desc="/go/ rounds", leave=False):
        real.append(go_run(client, tokens, requests, visitors, consent=True))
        with override_settings(ROOT_URLCONF=BARE_URLCONF):
            bare.append(go_run(client, tokens, requests, visitors, consent=True))
        fresh.append(go_run(client, tokens, requests // 2, visitors, consent=False))
    recorded = Touch.objects.count() - before
    expected = 400 + rounds * (2 * requests + requests // 2)
    # Leave the synthetic history as it was for the crediting and report measurements.
    Touch.objects.filter(pk__gt=last_id).delete()
    return statistics.median(real), statistics.median(bare), statistics.median(fresh), recorded, expected


# --- 2. crediting -------------------------------------------------------------------------


def measure_crediting(bench_orders, half_life):
    from shop.attribution.crediting import OrderLineAmount, credit_shares
    from shop.attribution.models import AttributionCredit
    from shop.attribution.services import credits_for_order

    start = time.perf_counter()
    for order_id, *_ in tqdm(bench_orders, desc="credits_for_order", leave=False):
        credits_for_order(order_id=order_id)
    service = len(bench_orders) / (time.perf_counter() - start)
    rows = AttributionCredit.objects.filter(order_id__in=[order[0] for order in bench_orders]).count()

    start = time.perf_counter()
    for _, total, lines, touches, *_ in bench_orders:
        credit_shares(revenue=total, lines=[OrderLineAmount(s, t) for s, _, _, t in lines], touches=touches,
                      half_life=half_life)
    pure = len(bench_orders) / (time.perf_counter() - start)

    start = time.perf_counter()
    for order_id, *_ in bench_orders[:500]:
        credits_for_order(order_id=order_id)
    again = min(500, len(bench_orders)) / (time.perf_counter() - start)
    return service, pure, again, rows


# --- 3. the 30-day report -----------------------------------------------------------------


def raw_group_by(since, until):
    """What the report replaces: revenue per article under last touch, clicks per article."""
    from shop.attribution.models import AttributionCredit, Touch
    from shop.attribution.selectors import report_window

    start, end = report_window(since=since, until=until)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT article_page_id, SUM(revenue) FROM {AttributionCredit._meta.db_table}"
            " WHERE model = 'last_touch' AND order_placed_at >= %s AND order_placed_at < %s"
            " GROUP BY article_page_id", [start, end],
        )
        revenue = cursor.fetchall()
        cursor.execute(
            f"SELECT article_page_id, COUNT(*) FROM {Touch._meta.db_table}"
            " WHERE created_at >= %s AND created_at < %s GROUP BY article_page_id", [start, end],
        )
        clicks = cursor.fetchall()
    return len(revenue), len(clicks)


def timed(function, repeat):
    function()  # warm
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def measure_report(repeat):
    from content.reports import ReportQuery, default_range, report_table
    from shop.attribution.models import AttributionModel
    from shop.attribution.rollups import rollups_advance

    since, until = default_range()
    query = ReportQuery(by="article", since=since, until=until, model=AttributionModel.LAST_TOUCH, status="paid")
    start = time.perf_counter()
    rolled = rollups_advance()  # what cron does once a day (`manage.py attribution rollup`)
    rollup_s = time.perf_counter() - start
    analyze()  # autovacuum analyses the roll-up tables after a roll this size; do it now
    table = report_table(query)
    report_ms = timed(lambda: report_table(query), repeat)
    raw_ms = timed(lambda: raw_group_by(since, until), repeat)
    with CaptureQueriesContext(connection) as context:
        report_table(query)
    breakdown = [(float(q["time"]) * 1000, " ".join(q["sql"].split())) for q in context.captured_queries]
    return report_ms, raw_ms, len(table.rows), breakdown, (since, until), (len(rolled), rollup_s)


# --- main ---------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=40_000)
    parser.add_argument("--large", action="store_true", help="5,000,000 touches and 200,000 orders")
    parser.add_argument("--credit-orders", type=int, default=2000, help="orders credited by credits_for_order")
    parser.add_argument("--requests", type=int, default=1000, help="/go/ requests per round and view")
    parser.add_argument("--rounds", type=int, default=3, help="/go/ rounds (median taken)")
    parser.add_argument("--repeat", type=int, default=5, help="report runs (median taken)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if args.large:
        args.touches, args.orders = 5_000_000, 200_000

    from django.conf import settings

    lookback = timedelta(days=settings.HAOWU_ATTRIBUTION_LOOKBACK_DAYS)
    half_life = timedelta(days=settings.HAOWU_ATTRIBUTION_HALF_LIFE_DAYS)
    setup_test_environment()
    timings = {}
    try:
        with harness.throwaway_database():
            from shop.attribution.models import AttributionCredit, Touch

            now = timezone.now()
            history = History(random.Random(args.seed), now)
            history.build_catalogue()

            start = time.perf_counter()
            plans = history.plan_orders(args.orders, lookback)
            bought = [row for _, _, touches in plans for row, _ in touches]
            browsing = max(0, args.touches - len(bought))
            touch_rows = (row for chunk in (bought, history.browsing_touches(browsing)) for row in chunk)
            touches = write_rows(Touch._meta.db_table, TOUCH_COLUMNS, touch_rows, total=len(bought) + browsing,
                                 desc="touches")
            reset_sequence(Touch)
            timings["touches"] = time.perf_counter() - start
            del bought

            start = time.perf_counter()
            orders = create_orders(history, plans)
            del plans
            engagement = create_engagement(history)
            timings["orders"] = time.perf_counter() - start

            attributed = [order for order in orders if order[3]]
            bench_orders = random.Random(args.seed).sample(attributed, min(args.credit_orders, len(attributed)))
            bench_ids = {order[0] for order in bench_orders}
            start = time.perf_counter()
            credits, bulk_rate = bulk_credit([order for order in orders if order[0] not in bench_ids], now, half_life)
            reset_sequence(AttributionCredit)
            timings["credits"] = time.perf_counter() - start
            analyze()
            # The measurements model a server process: the generator's millions of Python
            # objects must not make every garbage collection pass slower than there.
            order_count, attributed_count = len(orders), len(attributed)
            del orders, attributed
            gc.collect()
            gc.freeze()

            go_real, go_bare, go_fresh, go_recorded, go_expected = measure_go(history, args.requests, args.rounds)
            service, pure, again, bench_rows = measure_crediting(bench_orders, half_life)
            analyze()
            report_ms, raw_ms, report_rows, breakdown, (since, until), rollup = measure_report(args.repeat)
            from shop.attribution.selectors import report_window

            window_touches = Touch.objects.filter(created_at__gte=report_window(since=since, until=until)[0]).count()
            credits += bench_rows
    finally:
        teardown_test_environment()

    go_ratio = go_real / go_bare
    print(f"Attribution ({connection.vendor}): {touches:,} touches over {DAYS} days, {order_count:,} orders "
          f"({attributed_count:,} with 1–8 touches), {credits:,} credit rows, {engagement:,} daily engagement rows, "
          f"{ARTICLES} articles, {len(history.skus)} SKUs")
    print(f"  synthetic data: touches {timings['touches']:.0f} s, orders + lines + engagement "
          f"{timings['orders']:.0f} s, bulk credits {timings['credits']:.0f} s ({bulk_rate:,.0f} orders/s)")
    print()
    print(f"1. /go/ redirects (test Client, whole middleware stack, a new visitor per request; "
          f"median of {args.rounds} rounds × {args.requests} requests)")
    print(f"  real view, consented visitor (hw_vid)     {go_real:8.1f} req/s")
    print(f"  bare redirect + one INSERT                {go_bare:8.1f} req/s")
    print(f"  real view, no consent (visit cookie)      {go_fresh:8.1f} req/s   "
          f"(ratio {go_fresh / go_bare:.2f}; information, not the goal)")
    print(f"  touches recorded {go_recorded:,} of {go_expected:,} requests")
    print()
    print(f"2. Crediting ({len(bench_orders):,} orders whose visitor has 1–8 touches in the lookback window)")
    print(f"  credits_for_order, first time              {service:8.1f} orders/s  ({1000 / service:.2f} ms/order)")
    print(f"  credits_for_order, again (nothing changes) {again:8.1f} orders/s")
    print(f"  credit_shares alone (no database)          {pure:8.1f} orders/s")
    print()
    print(f"3. 30-day report by article ({since} to {until}, last touch, paid; {report_rows} rows; "
          f"{window_touches:,} touches in the window; median of {args.repeat})")
    print(f"  rolling up {rollup[0]} closed days first (cron, once) {rollup[1]:8.1f} s")
    print(f"  content.reports.report_table               {report_ms:8.1f} ms  ({len(breakdown)} queries; "
          "29 days from the roll-ups, today raw)")
    print(f"  raw GROUP BY (credits + touches)           {raw_ms:8.1f} ms")
    print("  report queries of one more run, slowest first:")
    for ms, sql in sorted(breakdown, reverse=True)[:4]:
        print(f"    {ms:7.1f} ms  {sql[:150]}{'…' if len(sql) > 150 else ''}")
    print()
    report_pass = report_ms <= REPORT_GOAL_MS
    at_size = "at the goal's size" if touches >= REPORT_GOAL_TOUCHES else \
        f"at {touches:,} touches; the goal is stated for {REPORT_GOAL_TOUCHES:,}"
    print(f"{'measure':<38}{'ours':>12}{'baseline':>12}{'ratio':>8}  {'goal':<28}result")
    print(f"{'/go/ requests/s':<38}{go_real:>12.1f}{go_bare:>12.1f}{go_ratio:>8.2f}  "
          f"{f'ratio ≥ {GO_GOAL}':<28}{'PASS' if go_ratio >= GO_GOAL else 'FAIL'}")
    print(f"{'credits_for_order orders/s':<38}{service:>12.1f}{pure:>12.1f}{service / pure:>8.3f}  "
          f"{'none (vs credit_shares)':<28}—")
    print(f"{'30-day report by article, ms':<38}{report_ms:>12.1f}{raw_ms:>12.1f}{report_ms / raw_ms:>8.2f}  "
          f"{f'≤ {REPORT_GOAL_MS} ms at 5M touches':<28}{'PASS' if report_pass else 'FAIL'} ({at_size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
