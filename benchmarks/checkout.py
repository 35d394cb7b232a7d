"""Orders placed per second through ``checkout_complete`` against a bare INSERT of the
same rows (order, lines, stock update, stock movements, history, the five models'
attribution credits) in the same run.
Goal: ratio ≥ 0.25. Meant for PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/checkout.py

On SQLite it runs too, but the number says little about production. Uses a throwaway
test database; reports and always exits 0.
"""

import argparse
import sys
import time
import uuid
from decimal import Decimal

import harness
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

GOAL = 0.25


def build_catalogue(count=50):
    from shop.catalogue.models import SKU, Product

    skus = []
    for i in range(count):
        product = Product.objects.create(title=f"Bench product {i}", slug=f"bench-{i}")
        skus.append(SKU.objects.create(product=product, code=f"BENCH-{i}", price=Decimal("59.90"), stock=10**8))
    return skus


def run_service(skus, orders):
    from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete

    address = ShippingAddress(recipient="林", phone="13800000000", city="杭州", address_line="文三路 1 号")
    start = time.perf_counter()
    for i in tqdm(range(orders), desc="checkout_complete", leave=False):
        a, b = skus[i % len(skus)], skus[(i * 7 + 3) % len(skus)]
        checkout_complete(
            idempotency_key=f"bench-{uuid.uuid4()}", lines=[CheckoutLine(a.code, 1), CheckoutLine(b.code, 2)],
            email=f"bench{i}@example.com", address=address, shipping_method="standard", payment_method="offline",
        )
    return orders / (time.perf_counter() - start)


def run_bare(skus, orders):
    """The same rows written with plain SQL, one transaction per order, no locks or checks."""
    from shop.attribution.models import AttributionCredit, AttributionModel
    from shop.orders.models import Order, OrderEvent, OrderLine, StockMovement

    order_table, line_table = Order._meta.db_table, OrderLine._meta.db_table
    move_table, event_table = StockMovement._meta.db_table, OrderEvent._meta.db_table
    credit_table = AttributionCredit._meta.db_table
    sku_table = skus[0]._meta.db_table
    returning = " RETURNING id" if connection.features.can_return_columns_from_insert else ""
    start = time.perf_counter()
    for i in tqdm(range(orders), desc="bare INSERT", leave=False):
        a, b = skus[i % len(skus)], skus[(i * 7 + 3) % len(skus)]
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {order_table} (number, checkout_key, email, visitor_id, status, currency, subtotal,"
                " shipping_total, discount_total, total, refunded_total, shipping_method, payment_method,"
                " recipient, phone, country, province, city, district, address_line, postcode, carrier,"
                " tracking_number, placed_at, expires_at)"
                " VALUES (%s, %s, %s, '', 'pending_payment', 'CNY', %s, 0, 0, %s, 0, 'standard', 'offline',"
                " %s, %s, 'CN', '', %s, '', %s, '', '', '', %s, %s)" + returning,
                [f"BARE{uuid.uuid4().hex[:16]}", f"bare-{uuid.uuid4()}", "bench@example.com", Decimal("179.70"),
                 Decimal("179.70"), "林", "13800000000", "杭州", "文三路 1 号", now, now],
            )
            order_id = cursor.fetchone()[0] if returning else cursor.lastrowid
            cursor.executemany(
                f"INSERT INTO {line_table} (order_id, sku_id, sku_code, product_name, option_label, unit_price,"
                " quantity, line_total, block_id, block_type) VALUES (%s, %s, %s, %s, '', %s, %s, %s, '', '')",
                [[order_id, a.pk, a.code, "Bench", a.price, 1, a.price],
                 [order_id, b.pk, b.code, "Bench", b.price, 2, b.price * 2]],
            )
            for sku, quantity in ((a, 1), (b, 2)):
                cursor.execute(f"UPDATE {sku_table} SET stock = stock - %s WHERE id = %s", [quantity, sku.pk])
            cursor.executemany(
                f"INSERT INTO {move_table} (sku_id, delta, reason, note, order_id, created_at)"
                " VALUES (%s, %s, 'order', '', %s, %s)",
                [[a.pk, -1, order_id, now], [b.pk, -2, order_id, now]],
            )
            cursor.execute(
                f"INSERT INTO {event_table} (order_id, from_status, to_status, note, created_at)"
                " VALUES (%s, '', 'pending_payment', '', %s)", [order_id, now],
            )
            # The five models' credits (no touches: one unattributed row each).
            cursor.executemany(
                f"INSERT INTO {credit_table} (order_id, model, kind, block_id, block_type, utm_source,"
                " utm_medium, utm_campaign, utm_content, curator_code, revenue, direct_revenue,"
                " assisted_revenue, order_placed_at, status_group, created_at)"
                " VALUES (%s, %s, 'order', '', '', '', '', '', '', '', %s, 0, %s, %s, 'pending', %s)",
                [[order_id, model, Decimal("179.70"), Decimal("179.70"), now, now]
                 for model in AttributionModel.values],
            )
    return orders / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    args = parser.parse_args()

    with harness.throwaway_database():
        skus = build_catalogue()
        run_service(skus, 20)  # warm connections and caches
        run_bare(skus, 20)
        service = run_service(skus, args.orders)
        bare = run_bare(skus, args.orders)

    ratio = service / bare
    print(f"Checkout ({connection.vendor}, {args.orders} orders of 2 lines each, one at a time)")
    print(f"  checkout_complete   {service:8.1f} orders/s")
    print(f"  bare INSERT         {bare:8.1f} orders/s")
    print(f"  ratio {ratio:.2f}   goal ≥ {GOAL}   {'PASS' if ratio >= GOAL else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
