"""A reader searches from the header: suggestions appear as they type, the keyboard
picks one, and the results page opens a product."""

import re

import pytest


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_types_in_the_header_box_and_opens_a_suggestion(
    live_server, article_factory, product_factory, browser_page,
):
    # given a product and an article about flasks
    product_factory(title="Trail Flask", slug="trail-flask", images=1,
                    skus=[{"code": "FL-1", "price": "129.00", "stock": 4}])
    article_factory(title="Flasks for winter hikes", intro="Hot tea at the summit.")

    # when a reader types into the header's box on the home page
    browser_page.goto(live_server.url + "/")
    box = browser_page.locator(".site-header input[name=q]")
    box.click()
    box.press_sequentially("flas", delay=40)

    # then a listbox of suggestions opens, titles starting with the text first
    listbox = browser_page.locator("#site-search-suggestions")
    listbox.wait_for(state="visible")
    options = listbox.get_by_role("option")
    assert options.all_inner_texts() == ["Trail Flask", "Flasks for winter hikes"] or \
        sorted(options.all_inner_texts()) == ["Flasks for winter hikes", "Trail Flask"]
    assert box.get_attribute("aria-expanded") == "true"

    # and the arrow keys and Enter open the chosen one
    box.press("ArrowDown")
    first = options.first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    chosen = first.inner_text()
    box.press("Enter")
    browser_page.wait_for_load_state()
    assert browser_page.locator("h1").first.inner_text() == chosen

    # Escape closes the list without leaving the page
    box = browser_page.locator(".site-header input[name=q]")
    box.fill("")
    box.press_sequentially("trail", delay=40)
    browser_page.locator("#site-search-suggestions").wait_for(state="visible")
    box.press("Escape")
    assert browser_page.locator("#site-search-suggestions").is_hidden()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_submits_a_search_filters_it_and_opens_a_product(
    live_server, product_factory, brand_factory, browser_page, tmp_path,
):
    # given two kettles of different brands, one sold out
    hay = brand_factory(name="Hay", slug="hay")
    product_factory(title="Sage Kettle", slug="sage-kettle", brand=hay, images=1,
                    skus=[{"code": "KET-1", "price": "299.00", "stock": 5}])
    product_factory(title="Steel Kettle", slug="steel-kettle", images=1,
                    skus=[{"code": "KET-2", "price": "159.00", "stock": 0}])

    # when a reader submits the header form
    browser_page.goto(live_server.url + "/")
    box = browser_page.locator(".site-header input[name=q]")
    box.fill("kettle")
    browser_page.locator(".site-header button[type=submit]").click()
    browser_page.wait_for_url(re.compile(r"/search/\?q=kettle$"))

    # then both products show with price and stock, and a brand facet narrows them
    titles = browser_page.locator(".result__title")
    assert sorted(titles.all_inner_texts()) == ["Sage Kettle", "Steel Kettle"]
    browser_page.locator(".facet__link", has_text="Hay").click()
    browser_page.wait_for_url(re.compile(r"[?&]brand=hay(&|$)"))
    assert titles.all_inner_texts() == ["Sage Kettle"]
    assert browser_page.locator(".result .price").inner_text() == "¥299.00"
    screenshot = tmp_path / "search.png"
    browser_page.screenshot(path=str(screenshot), full_page=True)

    # and the result opens the product page with its SKU
    titles.first.locator("a").click()
    browser_page.wait_for_url(re.compile(r"/products/sage-kettle/\?sku=KET-1$"))
    assert browser_page.locator("h1").first.inner_text() == "Sage Kettle"
