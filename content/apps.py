from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")

    def ready(self):
        # Publishing, moving and catalogue changes drop cached pages (content.cache).
        from content import cache

        cache.connect()
