"""Text blocks: headings, paragraphs and quotes."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.rich_text import RichText

from shop.richtext import clean_html

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4", "blockquote", "hr"]
NOTE_FEATURES = ["bold", "italic", "link"]


class SanitizedRichTextBlock(blocks.RichTextBlock):
    """Rich text cleaned by the shared allow-list when the form is cleaned (so previews
    are clean too) and whenever the value is prepared for the database."""

    def clean(self, value):
        value = super().clean(value)
        return RichText(clean_html(value.source)) if value is not None else value

    def get_prep_value(self, value):
        return clean_html(super().get_prep_value(value))

    class Meta:
        template = "blocks/rich_text.html"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section (H2)")), ("h3", _("Subsection (H3)"))], default="h2",
        label=_("Level"), search_index=False,  # "Section (H2)" is not the heading's text
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"
        description = _("A section heading; it also appears in the article's contents.")
        preview_value = {"text": "Why we picked these 为什么选它们", "level": "h2"}


class ParagraphBlock(SanitizedRichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "blocks/rich_text.html"
        description = _("Paragraphs with bold, italics, links and lists.")
        preview_value = (
            "<p>A good kettle boils fast, pours cleanly and keeps its handle cool. "
            "好的水壶烧得快、出水稳、把手不烫。</p>"
        )


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"
        description = _("A pull quote from a tester, reader or maker.")
        preview_value = {
            "quote": "用了三个月，每天早上都离不开它。",
            "attribution": "Lin, reader in Hangzhou",
        }
