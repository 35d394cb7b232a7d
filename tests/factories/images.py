import io

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection


def png_bytes(*, width: int = 80, height: int = 60, colour: tuple = (120, 160, 140)) -> bytes:
    """A real PNG drawn by Pillow, small enough to keep renditions fast."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


class ImageFactory(DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Photo {n}")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.LazyAttributeSequence(
        lambda o, n: ContentFile(png_bytes(), name=f"photo-{n}.png")
    )
