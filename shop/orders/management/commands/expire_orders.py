from django.core.management.base import BaseCommand

from shop.payments.services import orders_expire_with_payments, sandbox_webhooks_retry


class Command(BaseCommand):
    help = (
        "Cancel unpaid orders past their pay-by time, return their stock and close their open "
        "card charges (cash on delivery never expires); then retry the sandbox provider's "
        "webhooks that are due. Safe to run concurrently."
    )

    def handle(self, *args, **options):
        expired, closed = orders_expire_with_payments()
        self.stdout.write(f"Expired {expired} unpaid order(s); closed {closed} open payment(s).")
        delivered, failed = sandbox_webhooks_retry()
        if delivered or failed:
            self.stdout.write(f"Sandbox webhooks: {delivered} delivered, {failed} to retry later.")
