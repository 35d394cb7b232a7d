import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from shop.catalogue.models import SKU, Brand, Category, Product, ProductImage
from tests.factories.images import ImageFactory


class BrandFactory(DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class SKUFactory(DjangoModelFactory):
    class Meta:
        model = SKU

    product = factory.SubFactory("tests.factories.catalogue.ProductFactory", skus=[])
    code = factory.Sequence(lambda n: f"SKU-{n:05d}")
    options = factory.LazyFunction(dict)
    price = "129.00"
    compare_at_price = None
    stock = 20
    active = True


class ProductImageFactory(DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory("tests.factories.catalogue.ProductFactory")
    image = factory.SubFactory(ImageFactory)


class ProductFactory(DjangoModelFactory):
    """A product on sale. ``skus`` is a list of SKUFactory keyword dicts (default: one SKU
    at ¥129.00 with 20 in stock; ``skus=[]`` for none); ``images=N`` adds gallery images."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    brand = factory.SubFactory(BrandFactory)
    category = None
    summary = "A good thing."
    description = "<p>Made to last.</p>"
    active = True

    @factory.post_generation
    def skus(self, create, extracted, **kwargs):
        if not create:
            return
        specs = [{}] if extracted is None else extracted
        for order, spec in enumerate(specs):
            SKUFactory(product=self, sort_order=order, **spec)

    @factory.post_generation
    def images(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for order in range(extracted):
            ProductImageFactory(product=self, sort_order=order)
