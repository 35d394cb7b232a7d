"""Seeding the demo: pictures, catalogue, magazine, user accounts and reader traffic.

``demo_seed`` is the one entry point (``manage.py seed_demo`` calls it). Every row is
found again by a natural key (slug, SKU code, image title, username; a page by its slug
under its parent), so a second run creates nothing and saves only what differs from
the definitions in ``catalogue.py``, ``articles.py`` and ``people.py``. The traffic
phase (``traffic.py``: views, clicks and orders for the marketing reports) runs once:
it is skipped when its demo orders exist.
"""

from __future__ import annotations

import datetime
import json
import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import models, transaction
from django.utils import timezone
from tqdm import tqdm
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from content.demo import images as drawing
from content.demo.articles import (
    ARTICLES,
    FEATURED_ARTICLE,
    HOME_INTRO,
    HOME_TAGLINE,
    PROMOTIONS,
    SCENES,
    SEARCH_TERMS,
    SECTIONS,
    ArticleDef,
    Block,
    Card,
    Compare,
    Grid,
    Heading,
    Look,
    Picture,
    Quote,
    Text,
)
from content.demo.catalogue import BRANDS, CATEGORIES, PRODUCTS, ProductDef, colour_hex
from content.demo.people import AUTHORS, USERS
from content.demo.traffic import TrafficPlan, demo_traffic_ensure
from content.models import ArticleIndexPage, ArticlePage, Author, HomePage
from shop.attribution.rollups import rollups_advance
from shop.catalogue.models import SKU, Brand, Category, Product, ProductImage

COLLECTION_NAME = "Demo 演示"
BLOCK_ID_NAMESPACE = uuid.UUID("5b1d0c2e-8f0a-4c7e-9a55-6b6f77750000")


class DemoSeedError(Exception):
    """The database is not in a state the demo can be seeded into."""


@dataclass
class SeedReport:
    """What a run did: rows created and changed per kind, and the logins to print."""

    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, *, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.changed[kind] = self.changed.get(kind, 0) + 1


# ------------------------------------------------------------------ entry point

def demo_seed(*, stdout: TextIO, progress: bool = True, progress_file: TextIO | None = None) -> SeedReport:
    """Create or update every demo row; safe to run any number of times.

    Guarantees: no duplicates (natural keys), pictures are drawn only when missing,
    pages are republished only when their content differs, each phase is one
    transaction. Raises ``DemoSeedError`` when the home page is missing (run
    ``migrate`` first). Dev only: it creates users with the passwords in ``people.py``.
    """
    report = SeedReport()
    jobs = list(_picture_jobs())
    total = len(jobs) + len(CATEGORIES) + len(BRANDS) + len(PRODUCTS) + len(AUTHORS) + len(SECTIONS) \
        + len(ARTICLES) + 1 + len(USERS) + TrafficPlan().steps
    with tqdm(total=total, file=progress_file, disable=not progress, unit="step",
              dynamic_ncols=True, leave=True) as bar:
        bar.set_description("images")
        pictures = demo_pictures_ensure(jobs=jobs, report=report, advance=bar.update)
        stdout.write(f"images: {_summary(report, 'image')}\n")
        bar.set_description("catalogue")
        demo_catalogue_ensure(pictures=pictures, report=report, advance=bar.update)
        stdout.write(f"catalogue: products {_summary(report, 'product')}; SKUs {_summary(report, 'sku')}\n")
        bar.set_description("articles")
        demo_magazine_ensure(pictures=pictures, report=report, advance=bar.update)
        stdout.write(f"articles: {_summary(report, 'article')}\n")
        bar.set_description("users")
        demo_users_ensure(report=report, advance=bar.update)
        stdout.write(f"users: {_summary(report, 'user')}\n")
        bar.set_description("traffic")
        traffic = demo_traffic_ensure(report=report, advance=bar.update)
        stdout.write(f"traffic: {traffic}\n")
        # The reports would roll the history up a week per request; do it once here.
        rolled = rollups_advance()
        stdout.write(f"report roll-ups: {len(rolled)} days\n")
    return report


def _summary(report: SeedReport, kind: str) -> str:
    return f"{report.created.get(kind, 0)} created, {report.changed.get(kind, 0)} updated"


def _noop(n: int = 1) -> None:
    return None


# ------------------------------------------------------------------ pictures

@dataclass(frozen=True)
class PictureJob:
    """One picture to have: its title (the key) and how to draw it if it is missing."""

    key: str
    title: str
    draw: str  # a function name in content.demo.images
    kwargs: dict[str, Any]
    filename: str


def _draw(job: PictureJob) -> bytes:
    return getattr(drawing, job.draw)(**job.kwargs)


def _picture_jobs() -> Iterator[PictureJob]:
    """Every picture the demo uses, keyed ``product:<slug>:<n>``, ``hero:<slug>``,
    ``look:<slug>``, ``scene:<name>``, ``portrait:<slug>`` and ``logo:<slug>``."""
    brands = {b.slug: b for b in BRANDS}
    categories = {c.slug: c for c in CATEGORIES}
    for brand in BRANDS:
        yield PictureJob(f"logo:{brand.slug}", f"{brand.name} · logo", "wordmark_picture",
                         {"name": brand.name, "colour": drawing.hex_rgb(brand.colour)}, f"logo-{brand.slug}.png")
    for author in AUTHORS:
        yield PictureJob(f"portrait:{author.slug}", f"{author.name} · portrait", "portrait_picture",
                         {"initials": author.initials, "background": drawing.hex_rgb(author.colour)},
                         f"portrait-{author.slug}.png")
    for product in PRODUCTS:
        brand = brands[product.brand]
        background = drawing.hex_rgb(categories[product.category].colour)
        variants = _colour_variants(product)
        for n in range(1, product.images + 1):
            if n == 1:
                kwargs = {"things": [variants[0]], "background": background}
            elif n == 2 and len(variants) > 1:
                kwargs = {"things": variants[:3], "background": background}
            else:
                tint = drawing.mix(background, drawing.hex_rgb(brand.colour), 0.25)
                kwargs = {"things": [variants[-1]], "background": tint, "close_up": True}
            kwargs["label"] = brand.name
            yield PictureJob(f"product:{product.slug}:{n}", f"{product.title} · {n}", "product_picture",
                             kwargs, f"{product.slug}-{n}.jpg")
    for name, (refs, background) in SCENES.items():
        yield PictureJob(f"scene:{name}", f"场景 Scene · {name}", "scene_picture",
                         {"things": [_thing(ref) for ref in refs], "background": drawing.hex_rgb(background)},
                         f"scene-{name}.jpg")
    for article in ARTICLES:
        background = drawing.hex_rgb(categories[article.category].colour)
        yield PictureJob(f"hero:{article.slug}", f"{article.title} · hero", "scene_picture",
                         {"things": [_thing(ref) for ref in article.hero], "background": background},
                         f"hero-{article.slug}.jpg")
        for block in article.body:
            if isinstance(block, Look):
                yield PictureJob(f"look:{article.slug}", f"{article.title} · shop the look", "scene_picture",
                                 {"things": [_thing(code) for code, _label in block.hotspots],
                                  "background": drawing.hex_rgb(block.background)},
                                 f"look-{article.slug}.jpg")


def _product_thing(product: ProductDef, options: dict[str, str]) -> drawing.Thing:
    brand = next(b for b in BRANDS if b.slug == product.brand)
    brand_rgb = drawing.hex_rgb(brand.colour)
    colour = colour_hex(options)
    body = drawing.hex_rgb(colour) if colour else brand_rgb
    accent = brand_rgb if colour else drawing.shade(brand_rgb, 0.45)
    if accent == body:
        accent = drawing.shade(body, -0.3)
    return drawing.Thing(kind=product.kind, colour=body, accent=accent)


def _colour_variants(product: ProductDef) -> list[drawing.Thing]:
    """One drawing per distinct colour among the SKUs, in SKU order."""
    things: list[drawing.Thing] = []
    for sku in product.skus:
        thing = _product_thing(product, sku.options)
        if thing not in things:
            things.append(thing)
    return things


def _thing(ref: str) -> drawing.Thing:
    """A SKU code or a product slug as something to draw."""
    for product in PRODUCTS:
        if product.slug == ref:
            return _product_thing(product, product.skus[0].options)
        for sku in product.skus:
            if sku.code == ref:
                return _product_thing(product, sku.options)
    raise DemoSeedError(f"The demo refers to “{ref}”, which is neither a product slug nor a SKU code.")


@transaction.atomic
def demo_pictures_ensure(*, jobs: list[PictureJob], report: SeedReport,
                         advance: Callable[[int], Any] = _noop) -> dict[str, Any]:
    """Every picture as a Wagtail image in the demo collection, keyed as in ``_picture_jobs``.

    An image whose title already exists is reused as it is; only missing ones are drawn
    (in parallel processes, since drawing is the slow part of a first run).
    """
    image_model = get_image_model()
    collection = _demo_collection()
    existing = {img.title: img for img in image_model.objects.filter(title__in=[j.title for j in jobs])}
    pictures = {}
    missing = []
    for job in jobs:
        if job.title in existing:
            pictures[job.key] = existing[job.title]
            advance(1)
        else:
            missing.append(job)
    if missing:
        workers = max(1, min(4, os.cpu_count() or 1))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for job, data in zip(missing, pool.map(_draw, missing, chunksize=2), strict=True):
                image = image_model(title=job.title, collection=collection,
                                    file=ImageFile(BytesIO(data), name=job.filename))
                image.save()
                pictures[job.key] = image
                report.count("image", created=True, changed=False)
                advance(1)
    return pictures


def _demo_collection() -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    return collection or root.add_child(name=COLLECTION_NAME)


# ------------------------------------------------------------------ catalogue

def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, bool, bool]:
    """Find the row by ``lookup``; create it, or save only the fields that differ.

    Returns (row, created, changed)."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), True, False
    changed = [name for name, value in values.items() if getattr(row, _attname(model, name)) != _raw(value)]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
    return row, False, bool(changed)


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname


def _raw(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _money(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


@transaction.atomic
def demo_catalogue_ensure(*, pictures: dict[str, Any], report: SeedReport,
                          advance: Callable[[int], Any] = _noop) -> None:
    """Categories, brands, products, galleries and SKUs exactly as ``catalogue.py`` defines them.

    SKUs are matched by code; stock and prices are reset to the definitions on every
    run (dev data). Gallery rows are replaced only when they differ."""
    categories: dict[str, Category] = {}
    for order, definition in enumerate(CATEGORIES):
        category, created, changed = _upsert(Category, {"slug": definition.slug}, {
            "name": definition.name, "description": definition.description,
            "parent": categories[definition.parent] if definition.parent else None, "sort_order": order * 10,
        })
        categories[definition.slug] = category
        report.count("category", created=created, changed=changed)
        advance(1)
    brands: dict[str, Brand] = {}
    for definition in BRANDS:
        brand, created, changed = _upsert(Brand, {"slug": definition.slug}, {
            "name": definition.name, "country": definition.country, "description": definition.description,
            "logo": pictures[f"logo:{definition.slug}"],
        })
        brands[definition.slug] = brand
        report.count("brand", created=created, changed=changed)
        advance(1)
    for definition in PRODUCTS:
        product, created, changed = _upsert(Product, {"slug": definition.slug}, {
            "title": definition.title, "brand": brands[definition.brand],
            "category": categories[definition.category], "summary": definition.summary,
            "description": definition.description, "active": definition.active,
        })
        gallery = [pictures[f"product:{definition.slug}:{n}"].pk for n in range(1, definition.images + 1)]
        current = list(product.gallery.order_by("sort_order").values_list("image_id", flat=True))
        if current != gallery:
            product.gallery.all().delete()
            ProductImage.objects.bulk_create(
                ProductImage(product=product, image_id=pk, sort_order=i) for i, pk in enumerate(gallery)
            )
            changed = True
        report.count("product", created=created, changed=changed)
        for order, sku in enumerate(definition.skus):
            _row, sku_created, sku_changed = _upsert(SKU, {"code": sku.code}, {
                "product": product, "options": sku.options, "price": _money(sku.price),
                "compare_at_price": _money(sku.compare_at_price), "stock": sku.stock, "active": sku.active,
                "sort_order": order,
            })
            report.count("sku", created=sku_created, changed=sku_changed)
        advance(1)


# ------------------------------------------------------------------ magazine

@transaction.atomic
def demo_magazine_ensure(*, pictures: dict[str, Any], report: SeedReport,
                         advance: Callable[[int], Any] = _noop) -> None:
    """Authors, the article sections under the home page, every article (published) and
    the home page's cover story. A page is found by its slug under its parent and is
    republished only when a field or its body differs from the definition."""
    home = HomePage.objects.first()
    if home is None:
        raise DemoSeedError("There is no home page. Run “manage.py migrate” first; it creates one.")
    authors: dict[str, Author] = {}
    for definition in AUTHORS:
        author, created, changed = _upsert(Author, {"slug": definition.slug}, {
            "name": definition.name, "role": definition.role, "bio": definition.bio,
            "avatar": pictures[f"portrait:{definition.slug}"],
        })
        authors[definition.slug] = author
        report.count("author", created=created, changed=changed)
        advance(1)

    sections: dict[str, ArticleIndexPage] = {}
    for definition in SECTIONS:
        page = ArticleIndexPage.objects.child_of(home).filter(slug=definition.slug).first()
        created = page is None
        if created:
            page = home.add_child(instance=ArticleIndexPage(title=definition.title, slug=definition.slug,
                                                            intro=definition.intro, live=False))
        changed = _assign(page, {"title": definition.title, "intro": definition.intro})
        if created or changed or not page.live:
            page.save_revision().publish()
        sections[definition.slug] = page
        report.count("section", created=created, changed=changed)
        advance(1)

    refs = _References.load()
    articles = {}
    for definition in ARTICLES:
        page, created, changed = _article_ensure(
            definition, parent=sections[definition.section], refs=refs, pictures=pictures, authors=authors,
        )
        articles[definition.slug] = page
        report.count("article", created=created, changed=changed)
        advance(1)

    home = HomePage.objects.get(pk=home.pk)
    changed = _assign(home, {"tagline": HOME_TAGLINE, "intro": HOME_INTRO,
                             "featured_article_id": articles[FEATURED_ARTICLE].pk})
    if changed:
        home.save_revision().publish()
    report.count("home", created=False, changed=changed)
    demo_search_terms_ensure(articles=articles)
    advance(1)


def demo_search_terms_ensure(*, articles: dict[str, ArticlePage]) -> None:
    """Editors' picks for a few queries, and a week of searches for the search terms
    report (each day's count set, not added to, so a second run changes nothing)."""
    for order, (query, slug, description) in enumerate(PROMOTIONS):
        SearchPromotion.objects.update_or_create(
            query=Query.get(query), page=articles[slug], defaults={"description": description, "sort_order": order},
        )
    today = timezone.localdate()
    for term, daily in SEARCH_TERMS.items():
        query = Query.get(term)
        for days_ago in range(7):
            QueryDailyHits.objects.update_or_create(
                query=query, date=today - datetime.timedelta(days=days_ago),
                defaults={"hits": max(1, daily - days_ago * daily // 10)},
            )


def _assign(page: Page, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``page``; True if any of them was different."""
    changed = False
    for name, value in values.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return changed


def _article_ensure(definition: ArticleDef, *, parent: ArticleIndexPage, refs: _References,
                    pictures: dict[str, Any], authors: dict[str, Author]) -> tuple[ArticlePage, bool, bool]:
    page = ArticlePage.objects.child_of(parent).filter(slug=definition.slug).first()
    created = page is None
    body = []
    for i, block in enumerate(definition.body):
        key = f"{definition.slug}/{i}"
        kind, value = _block_raw(block, refs=refs, pictures=pictures, article=definition, key=key)
        body.append({"type": kind, "value": value, "id": _block_id(key)})
    values = {
        "title": definition.title, "intro": definition.intro, "language": definition.language,
        "hero_image_id": pictures[f"hero:{definition.slug}"].pk, "author_id": authors[definition.author].pk,
        "category_id": refs.categories[definition.category], "search_description": definition.intro,
    }
    if created:
        date = timezone.localdate() - datetime.timedelta(days=definition.days_ago)
        page = ArticlePage(slug=definition.slug, date=date, live=False, **values,
                           first_published_at=timezone.make_aware(datetime.datetime.combine(date, datetime.time(9))))
        page.body = body
        page.tags.set(list(definition.tags))
        page = parent.add_child(instance=page)
        page.save_revision().publish()
        return page, True, False

    changed = _assign(page, values)
    if set(page.tags.names()) != set(definition.tags):
        page.tags.set(list(definition.tags))
        changed = True
    body_field = ArticlePage._meta.get_field("body")
    wanted = body_field.to_python(body)
    if _stream_json(body_field, page.body) != _stream_json(body_field, wanted):
        page.body = wanted
        changed = True
    if changed or not page.live or page.has_unpublished_changes:
        page.save_revision().publish()
    return page, False, changed


def _stream_json(stream_field: Any, value: Any) -> str:
    return json.dumps(stream_field.get_prep_value(value), sort_keys=True, default=str)


@dataclass(frozen=True)
class _References:
    """Primary keys of the catalogue rows the articles name by slug or code."""

    products: dict[str, int]
    skus: dict[str, int]
    categories: dict[str, int]

    @classmethod
    def load(cls) -> _References:
        return cls(
            products=dict(Product.objects.filter(slug__in=[p.slug for p in PRODUCTS]).values_list("slug", "pk")),
            skus=dict(SKU.objects.filter(code__in=[s.code for p in PRODUCTS for s in p.skus]).values_list("code", "pk")),
            categories=dict(Category.objects.filter(slug__in=[c.slug for c in CATEGORIES]).values_list("slug", "pk")),
        )

    def product(self, slug: str) -> int:
        try:
            return self.products[slug]
        except KeyError:
            raise DemoSeedError(f"An article names the product “{slug}”, which the catalogue does not define.") from None

    def sku(self, code: str) -> int:
        try:
            return self.skus[code]
        except KeyError:
            raise DemoSeedError(f"An article names the SKU “{code}”, which the catalogue does not define.") from None


def _block_id(key: str) -> str:
    """A stable block id, so a rerun produces the same stream and republishes nothing."""
    return str(uuid.uuid5(BLOCK_ID_NAMESPACE, key))


def _items(values: list[Any], *, key: str) -> list[dict[str, Any]]:
    """ListBlock raw data with stable item ids (Wagtail would otherwise make random ones)."""
    return [{"type": "item", "value": value, "id": _block_id(f"{key}/{i}")} for i, value in enumerate(values)]


def _block_raw(block: Block, *, refs: _References, pictures: dict[str, Any],
               article: ArticleDef, key: str) -> tuple[str, Any]:
    """One body block as (block type, raw StreamField value with primary keys)."""
    match block:
        case Heading(text=text, level=level):
            return "heading", {"text": text, "level": level}
        case Text(html=html):
            return "paragraph", html
        case Picture(image=key, caption=caption, alt=alt, width=width):
            return "image", {"image": pictures[key].pk, "alt": alt, "caption": caption, "width": width}
        case Quote(quote=quote, attribution=attribution):
            return "quote", {"quote": quote, "attribution": attribution}
        case Card(product=product, sku=sku, badge=badge, note=note):
            return "product_card", {"product": refs.product(product) if product else None,
                                    "sku": refs.sku(sku) if sku else None, "badge": badge, "note": note}
        case Grid(products=products, heading=heading, columns=columns):
            return "product_grid", {"heading": heading, "columns": columns,
                                    "products": _items([refs.product(p) for p in products], key=f"{key}/products")}
        case Compare(products=products, rows=rows, heading=heading, winner=winner, verdict=verdict):
            return "comparison_table", {
                "heading": heading,
                "products": _items([refs.product(p) for p in products], key=f"{key}/products"),
                "rows": _items([{"label": label, "values": _items(list(values), key=f"{key}/rows/{r}")}
                                for r, (label, values) in enumerate(rows)], key=f"{key}/rows"),
                "winner": winner, "verdict": verdict,
            }
        case Look(hotspots=hotspots, caption=caption, alt=alt):
            spots = drawing.scene_spots(len(hotspots))
            return "shop_the_look", {
                "image": pictures[f"look:{article.slug}"].pk, "alt": alt, "caption": caption,
                "hotspots": _items([{"sku": refs.sku(code), "x": str(spot.x), "y": str(spot.y), "label": label}
                                    for (code, label), spot in zip(hotspots, spots, strict=True)],
                                   key=f"{key}/hotspots"),
            }
    raise DemoSeedError(f"Unknown demo block {block!r}.")


# ------------------------------------------------------------------ users

@dataclass(frozen=True)
class Login:
    username: str
    password: str
    can: str


def demo_logins() -> list[Login]:
    """The accounts ``demo_users_ensure`` creates, for printing."""
    return [Login(u.username, u.password, u.can) for u in USERS]


@transaction.atomic
def demo_users_ensure(*, report: SeedReport, advance: Callable[[int], Any] = _noop) -> None:
    """The admin, editor, marketer and operator accounts with their dev passwords, in
    the role groups the migrations made, and bylines linked to their accounts. A
    password is reset only when it no longer matches, so the printed logins always work."""
    user_model = get_user_model()
    existing = {u.username: u.password for u in user_model.objects.filter(username__in=[d.username for d in USERS])}
    # Each check hashes for about a second; hashlib releases the GIL, so check them side by side.
    with ThreadPoolExecutor(max_workers=len(USERS)) as pool:
        still_valid = dict(zip(
            [d.username for d in USERS],
            pool.map(lambda d: d.username in existing and check_password(d.password, existing[d.username]),
                     USERS),
            strict=True,
        ))
    for definition in USERS:
        groups = list(Group.objects.filter(name__in=definition.groups))
        if len(groups) != len(definition.groups):
            raise DemoSeedError(f"The group(s) {', '.join(definition.groups)} do not exist; run “manage.py migrate”.")
        user, created, changed = _upsert(user_model, {"username": definition.username}, {
            "email": definition.email, "first_name": definition.first_name, "is_active": True,
            "is_staff": definition.superuser, "is_superuser": definition.superuser,
        })
        if not still_valid[definition.username]:
            user.set_password(definition.password)
            user.save(update_fields=["password"])
            changed = True
        if {g.pk for g in user.groups.all()} != {g.pk for g in groups}:
            user.groups.set(groups)
            changed = True
        report.count("user", created=created, changed=changed)
        advance(1)

    for author in AUTHORS:
        if author.username:
            Author.objects.filter(slug=author.slug).exclude(user__username=author.username).update(
                user=user_model.objects.get(username=author.username)
            )
