"""Fixtures shared by the whole suite: factories, the page tree, images, media in tmp.

Every transactional test uses ``django_db(transaction=True, serialized_rollback=True)``:
the home page, the site and the role groups come from data migrations, and a plain
transactional test's flush would wipe them for whichever test runs next (and
re-create content types that the next serialized restore then collides with).
"""

import pytest
from bs4 import BeautifulSoup

from content.models import HomePage
from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes images and renditions into its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_caches():
    """Wagtail caches renditions by image id, and ids repeat between tests: start clean."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _no_index_updates_left_over():
    """Ids a rolled-back transaction left for the next commit's index update (as a
    process does: search.tasks) belong to an earlier test's rows: start without them."""
    from search.tasks import _ids

    for ids in _ids().values():
        ids.clear()


@pytest.fixture
def brand_factory(db):
    return factories.BrandFactory


@pytest.fixture
def category_factory(db):
    return factories.CategoryFactory


@pytest.fixture
def product_factory(db):
    return factories.ProductFactory


@pytest.fixture
def sku_factory(db):
    return factories.SKUFactory


@pytest.fixture
def image_factory(db):
    return factories.ImageFactory


@pytest.fixture
def author_factory(db):
    return factories.AuthorFactory


@pytest.fixture
def article_factory(db, article_index):
    """Builds articles under ``article_index`` unless given another ``parent``."""

    def build(**kwargs):
        kwargs.setdefault("parent", article_index)
        return factories.ArticlePageFactory(**kwargs)

    return build


@pytest.fixture
def site_root(db):
    """The home page the data migration created; it is the default site's root."""
    return HomePage.objects.get()


@pytest.fixture
def article_index(site_root):
    return factories.ArticleIndexPageFactory(parent=site_root)


@pytest.fixture
def image(db):
    """A real PNG image in the Wagtail image library."""
    return factories.ImageFactory(title="Sage kettle")


@pytest.fixture
def soup():
    """Parse a response (or HTML string) to query it like a browser would."""

    def parse(response_or_html):
        html = getattr(response_or_html, "content", response_or_html)
        if isinstance(html, bytes):
            html = html.decode()
        return BeautifulSoup(html, "html.parser")

    return parse


@pytest.fixture
def stored_value(db):
    """The column exactly as the database holds it, bypassing every model field conversion."""

    def read(model, field_name, pk):
        from django.db import connection

        opts = model._meta
        column = opts.get_field(field_name).column
        table = opts.get_field(field_name).model._meta.db_table
        pk_column = opts.get_field(field_name).model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)} "
                f"WHERE {connection.ops.quote_name(pk_column)} = %s",
                [pk],
            )
            row = cursor.fetchone()
        return row[0] if row else None

    return read


def pytest_configure(config):
    # WhiteNoise warns once per client when `collectstatic` has not run; tests never serve static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
