"""Shoppable blocks: product card, product grid, comparison table and shop-the-look.

Each block names the products and SKUs it shows (``product_refs``); the article asks
the catalogue for all of them at once and puts the answer in the context as
``offers``. Block templates therefore never query. Rendered on its own (an admin
preview), a block fetches its own offers.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from content.blocks.media import PrefetchingImageChooserBlock, _any_image
from content.blocks.text import NOTE_FEATURES, SanitizedRichTextBlock
from shop.attribution.tokens import LinkPayload, token_sign
from shop.catalogue.choosers import sku_chooser_viewset
from shop.catalogue.models import SKU, Product
from shop.catalogue.selectors import OfferMap, offers_for

SKUChooserBlock = sku_chooser_viewset.get_block_class(
    name="SKUChooserBlock", module_path="content.blocks.commerce"
)


def ProductChooserBlock(**kwargs):  # noqa: N802 - reads like the block class it returns
    return SnippetChooserBlock(Product, **kwargs)


def _pk(value):
    return getattr(value, "pk", value)


class ShoppableBlockMixin:
    """Shared by every block that shows products."""

    def product_refs(self, value) -> tuple[list[int], list[int]]:
        """(product ids, SKU ids) this block shows; ``None`` for deleted ones is dropped."""
        raise NotImplementedError

    def get_offers(self, value, parent_context) -> OfferMap:
        offers = (parent_context or {}).get("offers")
        if offers is None:
            product_ids, sku_ids = self.product_refs(value)
            offers = offers_for(product_ids=product_ids, sku_ids=sku_ids)
        return offers

    def offer_link(self, offer, parent_context, *, item: int = 1) -> dict | None:
        """The signed ``/go/`` link of one offer of this block on an article: page, block id
        and type, the block's 1-based position in the body (``block_positions``, from
        ``ArticlePage.get_context``), the offer's lead SKU and its place in the block.
        ``None`` without a saved page (a block preview): the offer links to the product.
        Plain data, so it can be part of the ``{% offer %}`` cache key."""
        context = parent_context or {}
        page = context.get("page")
        if offer is None or offer.lead is None or getattr(page, "pk", None) is None:
            return None
        block_id = str(context.get("block_id") or context.get("id") or "")
        position = (context.get("block_positions") or {}).get(block_id)
        token = token_sign(LinkPayload(
            article_page_id=page.pk, block_id=block_id, block_type=self.name or "",
            position=position, sku_id=offer.lead.id, item=item,
        ))
        return {
            "url": reverse("attribution:go", args=[token]),
            "token": token,
            "block": block_id,
            "type": self.name or "",
            "position": position,
        }


def _preview_products(count):
    return list(Product.objects.live().order_by("pk").values_list("pk", flat=True)[:count])


class ProductCardBlock(ShoppableBlockMixin, blocks.StructBlock):
    product = ProductChooserBlock(label=_("Product"), required=False)
    sku = SKUChooserBlock(
        label=_("Variant (SKU)"), required=False,
        help_text=_("Optional: feature one colour or size. Choosing only a SKU is enough."),
    )
    badge = blocks.CharBlock(
        label=_("Badge"), required=False, max_length=40,
        help_text=_("A short label such as “Editor’s pick” or “最值”."),
    )
    note = SanitizedRichTextBlock(
        label=_("Why we picked it"), features=NOTE_FEATURES, required=False,
    )

    class Meta:
        icon = "pick"
        label = _("Product card")
        template = "blocks/product_card.html"
        description = _("One product with live price and stock, and your note on why it is here.")

    def clean(self, value):
        value = super().clean(value)
        product, sku = value.get("product"), value.get("sku")
        if product is None and sku is None:
            raise StructBlockValidationError(
                block_errors={"product": ValidationError(_("Choose a product or a SKU."))}
            )
        if product is not None and sku is not None and sku.product_id != product.pk:
            raise StructBlockValidationError(
                block_errors={"sku": ValidationError(
                    _("This SKU belongs to “%(other)s”, not to the chosen product.")
                    % {"other": sku.product}
                )}
            )
        return value

    def product_refs(self, value):
        return [_pk(value.get("product"))], [_pk(value.get("sku"))]

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        offers = self.get_offers(value, parent_context)
        context["offer"] = offers.for_product(_pk(value.get("product")), _pk(value.get("sku")))
        context["link"] = self.offer_link(context["offer"], parent_context)
        return context

    def get_preview_value(self):
        ids = _preview_products(1)
        return self.to_python({
            "product": ids[0] if ids else None,
            "badge": "Editor’s pick",
            "note": "<p>Quiet, quick and easy to clean. 安静、快速、好清洗。</p>",
        })


class ProductGridBlock(ShoppableBlockMixin, blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    products = blocks.ListBlock(
        ProductChooserBlock(label=_("Product")), min_num=2, max_num=12, label=_("Products"),
    )
    columns = blocks.ChoiceBlock(
        choices=[("2", "2"), ("3", "3"), ("4", "4")], default="3", label=_("Columns"),
        search_index=False,  # a layout choice, not words a reader searches for
    )

    class Meta:
        icon = "table"
        label = _("Product grid")
        template = "blocks/product_grid.html"
        description = _("Two to twelve products in a grid, each with live price and stock.")

    def product_refs(self, value):
        return [_pk(p) for p in value.get("products") or []], []

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        offers = self.get_offers(value, parent_context)
        items = [offers.for_product(_pk(p)) for p in value.get("products") or []]
        context["items"] = [
            {"offer": offer, "link": self.offer_link(offer, parent_context, item=i)}
            for i, offer in enumerate(items, start=1)
        ]
        return context

    def get_preview_value(self):
        return self.to_python({"heading": "Desk upgrades", "products": _preview_products(3)})


class ComparisonRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Row"), max_length=80)
    values = blocks.ListBlock(
        blocks.CharBlock(label=_("Value"), max_length=120, required=False),
        label=_("Values, one per product, in column order"),
    )


class ComparisonTableBlock(ShoppableBlockMixin, blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    products = blocks.ListBlock(
        ProductChooserBlock(label=_("Product")), min_num=2, max_num=5,
        label=_("Products (columns)"),
    )
    rows = blocks.ListBlock(ComparisonRowBlock(), label=_("Rows"), min_num=1)
    winner = blocks.IntegerBlock(
        label=_("Our pick (column number)"), required=False, min_value=1, max_value=5,
        help_text=_("Highlights one column as the editor’s pick."),
    )
    verdict = SanitizedRichTextBlock(label=_("Verdict"), features=NOTE_FEATURES, required=False)

    class Meta:
        icon = "list-ul"
        label = _("Comparison table")
        template = "blocks/comparison_table.html"
        description = _("Products side by side: live prices, your rows, and a verdict.")

    def product_refs(self, value):
        return [_pk(p) for p in value.get("products") or []], []

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        offers = self.get_offers(value, parent_context)
        columns = [offers.for_product(_pk(p)) for p in value.get("products") or []]
        width = len(columns)
        context["columns"] = [
            {
                "offer": offer,
                "is_winner": value.get("winner") == i,
                "link": self.offer_link(offer, parent_context, item=i),
            }
            for i, offer in enumerate(columns, start=1)
        ]
        context["rows"] = [
            {"label": row["label"], "cells": (list(row["values"]) + [""] * width)[:width]}
            for row in value.get("rows") or []
        ]
        return context

    def get_preview_value(self):
        ids = _preview_products(2)
        return self.to_python({
            "heading": "Which one?",
            "products": ids,
            "rows": [{"label": "Weight", "values": ["1.2 kg", "0.9 kg"]}],
            "winner": 1,
        })


class HotspotBlock(blocks.StructBlock):
    sku = SKUChooserBlock(label=_("SKU"))
    x = blocks.DecimalBlock(
        label=_("Horizontal position (%)"), min_value=0, max_value=100, decimal_places=1,
        help_text=_("0 is the left edge, 100 the right edge."),
    )
    y = blocks.DecimalBlock(
        label=_("Vertical position (%)"), min_value=0, max_value=100, decimal_places=1,
        help_text=_("0 is the top edge, 100 the bottom edge."),
    )
    label = blocks.CharBlock(label=_("Label"), required=False, max_length=60)


class ShopTheLookBlock(ShoppableBlockMixin, blocks.StructBlock):
    image = PrefetchingImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(label=_("Alternative text"), required=False, max_length=200)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    hotspots = blocks.ListBlock(HotspotBlock(), min_num=1, max_num=12, label=_("Hotspots"))

    class Meta:
        icon = "crosshairs"
        label = _("Shop the look")
        template = "blocks/shop_the_look.html"
        description = _("A photo with numbered hotspots, each placed on a product in the picture.")

    def product_refs(self, value):
        return [], [_pk(h.get("sku")) for h in value.get("hotspots") or []]

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        offers = self.get_offers(value, parent_context)
        spots = []
        for i, spot in enumerate(value.get("hotspots") or [], start=1):
            offer = offers.for_sku(_pk(spot.get("sku")))
            label = spot.get("label") or ""
            spots.append({
                "number": i,
                "x": spot["x"],
                "y": spot["y"],
                "label": label,
                # A deleted SKU has no offer: its hotspot still needs a name to read out.
                "name": label or (offer.title if offer is not None else _("No longer available")),
                "offer": offer,
                "link": self.offer_link(offer, parent_context, item=i),
            })
        context["spots"] = spots
        return context

    def get_preview_value(self):
        sku = SKU.objects.filter(product__active=True).order_by("pk").first()
        return self.to_python({
            "image": getattr(_any_image(), "pk", None),
            "hotspots": [{"sku": getattr(sku, "pk", None), "x": "40", "y": "55", "label": ""}],
        })
