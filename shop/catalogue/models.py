"""Brands, categories, products and their SKUs.

Model and field names (``Product``, ``SKU.code``, ``price``, ``compare_at_price``,
``stock``, ``active``) are read by other tools: keep them.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from shop.catalogue.widgets import OptionsWidget
from shop.money import MONEY, discount_percent
from shop.richtext import SanitizedRichTextField


class Brand(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True, allow_unicode=True)
    country = models.CharField(_("country of origin"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("country"),
              FieldPanel("description"), FieldPanel("logo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self):
        return self.name


class Category(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("parent"),
              FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class ProductQuerySet(models.QuerySet):
    def live(self):
        return self.filter(active=True)


class Product(index.Indexed, ClusterableModel):
    """A thing a reader can buy, in one or more SKUs. Withdrawn products stay in the
    database (articles and orders still point at them) with ``active=False``."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, allow_unicode=True)
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="products",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="products",
    )
    summary = models.CharField(_("summary"), max_length=255, blank=True,
                               help_text=_("One line shown on product cards."))
    description = SanitizedRichTextField(
        _("description"), blank=True,
        features=["bold", "italic", "h3", "ol", "ul", "link"],
    )
    active = models.BooleanField(
        _("on sale"), default=True,
        help_text=_("Untick to withdraw the product: articles then show it as no longer available."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Saves of the product form (the product and its SKUs' prices and options); stock
    #: changes do not count. A form opened at another version is refused, not saved over.
    version = models.PositiveIntegerField(_("version"), default=0)

    objects = ProductQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("slug"), FieldPanel("brand"),
             FieldPanel("category"), FieldPanel("active")],
            heading=_("Product"),
        ),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("version", widget=forms.HiddenInput),
        InlinePanel("gallery", heading=_("Gallery"), label=_("image")),
        InlinePanel("skus", heading=_("SKUs"), label=_("SKU"), min_num=1),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("active"),
        index.FilterField("brand"),
        index.FilterField("category"),
        index.RelatedFields("brand", [index.SearchField("name")]),
        index.RelatedFields("skus", [index.SearchField("code")]),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:product", kwargs={"slug": self.slug})


def sku_page_url(*, slug: str, code: str) -> str:
    """The page of the product ``slug`` with its SKU ``code`` chosen (``?sku=CODE``)."""
    return reverse("catalogue:product", kwargs={"slug": slug}) + "?" + urlencode({"sku": code})


class ProductImage(Orderable):
    product = ParentalKey(Product, on_delete=models.CASCADE, related_name="gallery")
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("image"),
                              on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("product image")


class StockState(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    LOW = "low", _("Low stock")
    SOLD_OUT = "sold_out", _("Sold out")
    UNAVAILABLE = "unavailable", _("No longer available")


def option_values(options: dict | None) -> list[str]:
    """A SKU's option values in the order of their names: PostgreSQL's jsonb does not keep
    the order keys were written in, so this order is the same on every database."""
    return [str(value) for _, value in sorted((options or {}).items()) if value not in ("", None)]


def gtin_validator(value: str) -> None:
    """A GTIN-8, -12 (UPC), -13 (EAN) or -14 whose last digit is its check digit."""
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise ValidationError(_("A GTIN is 8, 12, 13 or 14 digits."))
    body, check = value[:-1], int(value[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    if (10 - total % 10) % 10 != check:
        raise ValidationError(_("This GTIN's last digit does not match: check the number under the barcode."))


class SKU(Orderable):
    """One buyable variant. ``stock`` only changes through conditional ``F()`` updates in
    the shop's services; the check constraint makes a negative count impossible."""

    product = ParentalKey(Product, verbose_name=_("product"), on_delete=models.CASCADE,
                          related_name="skus")
    code = models.CharField(_("SKU code"), max_length=64, unique=True)
    options = models.JSONField(
        _("options"), default=dict, blank=True,
        help_text=_("Option values such as colour and size."),
    )
    price = models.DecimalField(_("price"), validators=[MinValueValidator(0)], **MONEY)
    compare_at_price = models.DecimalField(
        _("compare-at price"), null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("The usual price, shown struck through when higher than the price."),
        **MONEY,
    )
    stock = models.IntegerField(_("stock"), default=0, validators=[MinValueValidator(0)])
    active = models.BooleanField(_("on sale"), default=True)
    gtin = models.CharField(
        _("GTIN (barcode)"), max_length=14, blank=True, validators=[gtin_validator],
        help_text=_("The 8, 12, 13 or 14 digits under the barcode (EAN, UPC), if the maker gave one. "
                    "Search engines use it to match this product."),
    )

    # Stock is shown, never edited here: it changes through recorded adjustments (the stock
    # page) and orders, so a form opened before a sale cannot write the old count back.
    panels = [FieldPanel("code"), FieldPanel("options", widget=OptionsWidget), FieldPanel("price"),
              FieldPanel("compare_at_price"), FieldPanel("gtin"), FieldPanel(
                  "stock", read_only=True,
                  help_text=_("Change it on the product’s Stock page, where each change is recorded."),
              ), FieldPanel("active")]

    class Meta(Orderable.Meta):
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="sku_stock_not_negative"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="sku_price_not_negative"),
        ]

    def __str__(self):
        label = self.option_label
        return f"{self.code} · {label}" if label else self.code

    @property
    def option_values(self) -> list[str]:
        return option_values(self.options)

    @property
    def option_label(self) -> str:
        """``{"colour": "Sage", "size": "M"}`` → ``"Sage / M"``."""
        return " / ".join(self.option_values)

    @property
    def stock_state(self) -> str:
        """Derived from this row alone; the product's ``active`` flag is applied by selectors."""
        if not self.active:
            return StockState.UNAVAILABLE
        if self.stock <= 0:
            return StockState.SOLD_OUT
        if self.stock <= settings.HAOWU_LOW_STOCK_THRESHOLD:
            return StockState.LOW
        return StockState.IN_STOCK

    @property
    def discount_percent(self) -> int | None:
        return discount_percent(self.price, self.compare_at_price)
