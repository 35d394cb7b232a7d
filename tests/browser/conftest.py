"""Playwright in Debian's chromium against pytest-django's live server."""

import importlib
from pathlib import Path

import pytest
from django.urls import clear_url_caches

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed at /usr/bin/chromium"))


@pytest.fixture(autouse=True)
def _served_media(_media_root, settings):
    """Development URLs serve /media/ from the MEDIA_ROOT read when the URLconf was first
    imported; load it again so the live server serves this test's own media folder."""
    urls = importlib.import_module(settings.ROOT_URLCONF)
    importlib.reload(urls)
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls
    # happen in its own thread, but test set-up code after launch would otherwise refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()
