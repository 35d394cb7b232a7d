"""Read-side of the catalogue: live offers for cards and product pages, in fixed queries.

``offers_for`` is what keeps an article's query count constant: every product block of
a page names its products and SKUs, the page asks once, and block templates read the
answer from the context. Four queries whatever the number of products.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from shop.catalogue.models import SKU, Product, ProductImage, StockState
from shop.money import discount_percent

AVAILABLE_STATES = (StockState.IN_STOCK, StockState.LOW)

SCHEMA_AVAILABILITY = {
    StockState.IN_STOCK: "https://schema.org/InStock",
    StockState.LOW: "https://schema.org/LimitedAvailability",
    StockState.SOLD_OUT: "https://schema.org/OutOfStock",
    StockState.UNAVAILABLE: "https://schema.org/Discontinued",
}


@dataclass(frozen=True)
class SkuOffer:
    """What a reader needs to know about one SKU right now."""

    id: int
    code: str
    option_label: str
    options: dict
    price: Decimal
    compare_at_price: Decimal | None
    stock: int
    state: str
    gtin: str = ""

    @property
    def available(self) -> bool:
        return self.state in AVAILABLE_STATES

    @property
    def is_low(self) -> bool:
        return self.state == StockState.LOW

    @property
    def discount_percent(self) -> int | None:
        return discount_percent(self.price, self.compare_at_price)

    @property
    def schema_availability(self) -> str:
        return SCHEMA_AVAILABILITY[self.state]


@dataclass(frozen=True)
class ProductOffer:
    """A product as a card shows it: the lead SKU (the one chosen by the editor, else the
    cheapest available one), every SKU, the first gallery image and a stock state."""

    product: Product
    skus: tuple[SkuOffer, ...]
    lead: SkuOffer | None
    images: tuple = field(default=())

    @property
    def pk(self) -> int:
        return self.product.pk

    @property
    def title(self) -> str:
        return self.product.title

    @property
    def image(self):
        return self.images[0] if self.images else None

    @property
    def url(self) -> str:
        url = self.product.get_absolute_url()
        if self.lead and len(self.skus) > 1:
            url += f"?sku={self.lead.code}"
        return url

    @property
    def state(self) -> str:
        if not self.product.active or self.lead is None:
            return StockState.UNAVAILABLE
        if self.lead.state == StockState.UNAVAILABLE:
            return StockState.UNAVAILABLE
        return self.lead.state

    @property
    def available(self) -> bool:
        return self.state in AVAILABLE_STATES

    @property
    def withdrawn(self) -> bool:
        return self.state == StockState.UNAVAILABLE

    @property
    def price(self) -> Decimal | None:
        return self.lead.price if self.lead else None

    @property
    def compare_at_price(self) -> Decimal | None:
        return self.lead.compare_at_price if self.lead else None

    @property
    def discount_percent(self) -> int | None:
        return self.lead.discount_percent if self.lead else None

    @property
    def stock(self) -> int:
        return self.lead.stock if self.lead else 0

    @property
    def price_varies(self) -> bool:
        prices = {s.price for s in self.skus if s.available}
        return len(prices) > 1

    @property
    def schema_availability(self) -> str:
        return SCHEMA_AVAILABILITY[self.state]

    def card(self) -> dict:
        """Every value an offer's markup shows, as plain JSON-able data. Templates that
        render offers read only this (and the image it names), so a hash of it is a
        complete cache key for the rendered markup."""
        lead, image = self.lead, self.image
        return {
            "pk": self.pk,
            "sku": lead.code if lead else "",
            "state": str(self.state),
            "available": self.available,
            "withdrawn": self.withdrawn,
            "url": self.url,
            "title": self.title,
            "brand": self.product.brand.name if self.product.brand_id else "",
            "option": lead.option_label if lead and len(self.skus) > 1 else "",
            "price": str(self.price) if self.price is not None else None,
            "price_varies": self.price_varies,
            "compare_at_price": str(self.compare_at_price) if self.compare_at_price is not None else None,
            "discount_percent": self.discount_percent,
            "stock": self.stock,
            "image": _image_identity(image) if image else None,
        }

    def with_lead(self, sku_id: int | None) -> "ProductOffer":
        """The same product with the editor's chosen SKU in front."""
        for sku in self.skus:
            if sku.id == sku_id:
                return ProductOffer(self.product, self.skus, sku, self.images)
        return self


def _image_identity(image) -> list:
    """What determines an image's rendition URLs: the file and its focal point."""
    return [image.pk, image.file.name, image.width, image.height, image.focal_point_x,
            image.focal_point_y, image.focal_point_width, image.focal_point_height]


@dataclass
class OfferMap:
    """Offers keyed by product and SKU id; a missing key means deleted."""

    products: dict[int, ProductOffer] = field(default_factory=dict)
    sku_products: dict[int, int] = field(default_factory=dict)

    def for_product(self, product, sku=None) -> ProductOffer | None:
        """Offer for a chosen product (instance or id), optionally led by one of its SKUs."""
        product_id = getattr(product, "pk", product)
        sku_id = getattr(sku, "pk", sku)
        if product_id is None and sku_id is not None:
            product_id = self.sku_products.get(sku_id)
        offer = self.products.get(product_id)
        if offer is None:
            return None
        return offer.with_lead(sku_id) if sku_id else offer

    def for_sku(self, sku) -> ProductOffer | None:
        return self.for_product(None, sku)

    def __len__(self):
        return len(self.products)

    def __iter__(self):
        return iter(self.products.values())


def _sku_offer(sku: SKU, product_active: bool) -> SkuOffer:
    state = sku.stock_state if product_active else StockState.UNAVAILABLE
    return SkuOffer(
        id=sku.pk, code=sku.code, option_label=sku.option_label, options=sku.options or {},
        price=sku.price, compare_at_price=sku.compare_at_price, stock=sku.stock, state=state,
        gtin=sku.gtin,
    )


def _lead_sku(skus: tuple[SkuOffer, ...]) -> SkuOffer | None:
    available = [s for s in skus if s.available]
    if available:
        return min(available, key=lambda s: s.price)
    return skus[0] if skus else None


def offers_for(*, product_ids: Iterable[int] = (), sku_ids: Iterable[int] = ()) -> OfferMap:
    """Load every product named directly or through one of its SKUs, with all SKUs,
    gallery images and their renditions: four queries, whatever the number of ids."""
    product_ids = {pk for pk in product_ids if pk is not None}
    sku_ids = {pk for pk in sku_ids if pk is not None}
    if not product_ids and not sku_ids:
        return OfferMap()
    renditions = Prefetch(
        "image__renditions",
        queryset=get_image_model().get_rendition_model().objects.all(),
        to_attr="prefetched_renditions",
    )
    products = (
        Product.objects.filter(
            Q(pk__in=product_ids) | Q(pk__in=SKU.objects.filter(pk__in=sku_ids).values("product_id"))
        )
        .select_related("brand", "category")
        .prefetch_related(
            Prefetch("skus", queryset=SKU.objects.order_by("sort_order", "pk")),
            Prefetch(
                "gallery",
                queryset=ProductImage.objects.select_related("image")
                .prefetch_related(renditions)
                .order_by("sort_order", "pk"),
            ),
        )
    )
    offers = OfferMap()
    for product in products:
        skus = tuple(_sku_offer(sku, product.active) for sku in product.skus.all())
        images = tuple(item.image for item in product.gallery.all())
        offers.products[product.pk] = ProductOffer(product, skus, _lead_sku(skus), images)
        for sku in skus:
            offers.sku_products[sku.id] = product.pk
    return offers


def products_matching(*, text: str):
    """Ids of the products whose title, summary, brand or one of whose SKU codes contains
    ``text`` (any case): a subquery for the admin's product listing."""
    return (
        Product.objects.filter(
            Q(title__icontains=text) | Q(summary__icontains=text)
            | Q(brand__name__icontains=text) | Q(skus__code__icontains=text)
        )
        .values("pk")
    )


def product_offer(*, product: Product) -> ProductOffer:
    return offers_for(product_ids=[product.pk]).for_product(product.pk)


def articles_featuring(*, product: Product, limit: int = 6) -> list[Page]:
    """Live, public pages whose content chooses this product or one of its SKUs, newest
    first, read from Wagtail's reference index (shop knows pages, not their types)."""
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.objects.filter(
        Q(to_content_type=ContentType.objects.get_for_model(Product), to_object_id=str(product.pk))
        | Q(
            to_content_type=ContentType.objects.get_for_model(SKU),
            to_object_id__in=[str(pk) for pk in product.skus.values_list("pk", flat=True)],
        ),
        base_content_type=page_type,
    ).values("object_id")
    pages = (
        Page.objects.live().public()
        .filter(pk__in=[int(r["object_id"]) for r in references])
        .order_by("-first_published_at")
        .specific()
    )
    return list(pages[:limit])



def articles_featuring_products(*, product_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """For many products at once: ``{product id: [(page id, title), …]}`` of the live,
    public pages whose content chooses the product or one of its SKUs, newest first.
    Products no page features are left out. Four queries whatever the number of
    products (the search index builds its product documents from this)."""
    product_ids = list(product_ids)
    if not product_ids:
        return {}
    product_type = ContentType.objects.get_for_model(Product)
    sku_type = ContentType.objects.get_for_model(SKU)
    sku_products = {
        str(pk): product_id
        for pk, product_id in SKU.objects.filter(product_id__in=product_ids).values_list("pk", "product_id")
    }
    references = ReferenceIndex.objects.filter(
        Q(to_content_type=product_type, to_object_id__in=[str(pk) for pk in product_ids])
        | Q(to_content_type=sku_type, to_object_id__in=list(sku_products)),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", "to_content_type_id", "to_object_id")
    pages_of: dict[int, set[int]] = {}
    for object_id, to_type, to_id in references:
        product_id = int(to_id) if to_type == product_type.pk else sku_products[to_id]
        pages_of.setdefault(product_id, set()).add(int(object_id))
    page_ids = set().union(*pages_of.values()) if pages_of else set()
    pages = list(
        Page.objects.live().public().filter(pk__in=page_ids)
        .order_by("-first_published_at", "-pk").values_list("pk", "title")
    )
    return {
        product_id: featured
        for product_id, ids in pages_of.items()
        if (featured := [(pk, title) for pk, title in pages if pk in ids])
    }
