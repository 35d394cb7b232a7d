from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _sku_changed(sender, instance, **kwargs):
    from shop.attribution.capture import target_forget

    target_forget(sku_ids=[instance.pk])


def _product_changed(sender, instance, **kwargs):
    from shop.attribution.capture import target_forget
    from shop.catalogue.models import SKU

    if not kwargs.get("raw"):
        target_forget(sku_ids=list(SKU.objects.filter(product_id=instance.pk).values_list("pk", flat=True)))


class AttributionConfig(AppConfig):
    name = "shop.attribution"
    label = "attribution"
    verbose_name = _("Attribution")

    def ready(self):
        # A buy link's cached target (shop.attribution.capture.link_target) names the
        # SKU's code and its product's slug and title: saving either drops it. A deleted
        # product's SKUs go with it, each with its own post_delete.
        post_save.connect(_sku_changed, sender="catalogue.SKU", dispatch_uid="attribution-target-sku-saved")
        post_delete.connect(_sku_changed, sender="catalogue.SKU", dispatch_uid="attribution-target-sku-deleted")
        post_save.connect(_product_changed, sender="catalogue.Product",
                          dispatch_uid="attribution-target-product-saved")
