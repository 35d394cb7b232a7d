"""Image blocks. Images come with their renditions prefetched so a page of images
costs the same number of queries as a page with one."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser whose bulk load also fetches every image's renditions."""

    def bulk_to_python(self, values):
        values = list(values)
        images = get_image_model().objects.prefetch_renditions().in_bulk(
            [v for v in values if v is not None]
        )
        return [images.get(v) for v in values]


def _any_image():
    return get_image_model().objects.order_by("pk").first()


class ImageBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alternative text"), required=False, max_length=200,
        help_text=_("Describe the picture for readers who cannot see it; defaults to the image title."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    width = blocks.ChoiceBlock(
        choices=[("text", _("Text width")), ("wide", _("Wide")), ("full", _("Full bleed"))],
        default="text", label=_("Width"), search_index=False,  # layout, not searchable words
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"
        description = _("A photo with caption, at text width, wide or full bleed.")

    def get_preview_value(self):
        return self.to_python({"image": getattr(_any_image(), "pk", None), "caption": "Preview"})
