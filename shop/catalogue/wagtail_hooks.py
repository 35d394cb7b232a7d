from wagtail import hooks
from wagtail.snippets.models import register_snippet

from shop.catalogue.choosers import sku_chooser_viewset
from shop.catalogue.viewsets import CatalogueViewSetGroup

register_snippet(CatalogueViewSetGroup)


@hooks.register("register_admin_viewset")
def register_sku_chooser():
    return sku_chooser_viewset
