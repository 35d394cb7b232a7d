from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "shop.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self):
        # A typo in HAOWU_PAYMENT_METHODS stops the process before it serves anything,
        # rather than silently offering fewer (or other) methods than meant.
        from shop.payments.gateways import payment_methods_check

        payment_methods_check(settings.HAOWU_PAYMENT_METHODS)
