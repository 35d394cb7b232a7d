"""axe-core (from npm) in Debian's chromium finds no serious or critical WCAG 2.1 AA
violation on the reader's pages, on a desktop and a phone, in Chinese and in English."""

from pathlib import Path

import pytest
from django.test import Client

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.reader_pages import customer_pages, reader_content

AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# Each violation as "rule (impact): selector — what is wrong", for a readable failure.
RUN_AXE = """
async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical").flatMap(
    v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${n.failureSummary.split("\\n").slice(1).join(" ").trim()}`));
}
"""

pytestmark = pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm ci`")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_pages_have_no_serious_accessibility_violations(
    language, live_server, django_user_model, article_factory, product_factory, image_factory, author_factory,
    monkeypatch,
):
    # given real content, and a customer with an order and a filled cart
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    public = reader_content(article_factory=article_factory, product_factory=product_factory,
                            image_factory=image_factory, author_factory=author_factory)
    customer = django_user_model.objects.create_user(username="mei@example.com", email="mei@example.com",
                                                     password="tea-and-kettles-42")
    signed_in = Client()
    private = customer_pages(signed_in, user=customer)
    session = {"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}
    from playwright.sync_api import sync_playwright

    # when axe checks every page at both widths, as a visitor and as the customer
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for width, viewport in VIEWPORTS.items():
                for pages, cookies in ((public, []), (private, [session])):
                    # The axe script is injected, so this context (and only this test) ignores the CSP.
                    context = browser.new_context(viewport=viewport, bypass_csp=True,
                                                  extra_http_headers={"Accept-Language": language})
                    context.add_cookies(cookies)
                    page = context.new_page()
                    page.set_default_timeout(15_000)
                    for name, path in pages.items():
                        response = page.goto(live_server.url + path)
                        assert response.status == 200, (name, response.status)
                        page.add_script_tag(path=str(AXE))
                        violations = page.evaluate(RUN_AXE)
                        if violations:
                            found[f"{width} {name}"] = violations
                    context.close()
        finally:
            browser.close()

    # then none is serious or critical
    assert found == {}, "\n".join(f"{where}: {violation}" for where, all in found.items() for violation in all)
