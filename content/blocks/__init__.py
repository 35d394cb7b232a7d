"""The article body's blocks, split by theme; ``ArticleBodyBlock`` lists them in picker order."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from content.blocks.commerce import (
    ComparisonTableBlock,
    ProductCardBlock,
    ProductGridBlock,
    ShoppableBlockMixin,
    ShopTheLookBlock,
)
from content.blocks.media import ImageBlock
from content.blocks.text import HeadingBlock, ParagraphBlock, QuoteBlock


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    product_card = ProductCardBlock(group=_("Shop"))
    product_grid = ProductGridBlock(group=_("Shop"))
    comparison_table = ComparisonTableBlock(group=_("Shop"))
    shop_the_look = ShopTheLookBlock(group=_("Shop"))


def stream_product_refs(stream_value) -> tuple[set[int], set[int]]:
    """Every product and SKU id a stream shows, across all shoppable blocks."""
    product_ids, sku_ids = set(), set()
    for child in stream_value:
        if isinstance(child.block, ShoppableBlockMixin):
            products, skus = child.block.product_refs(child.value)
            product_ids.update(pk for pk in products if pk is not None)
            sku_ids.update(pk for pk in skus if pk is not None)
    return product_ids, sku_ids


__all__ = ["ArticleBodyBlock", "stream_product_refs"]
