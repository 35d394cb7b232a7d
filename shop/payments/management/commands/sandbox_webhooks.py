from django.core.management.base import BaseCommand

from shop.payments.services import sandbox_webhooks_retry


class Command(BaseCommand):
    help = (
        "The sandbox card provider's retries: deliver every webhook the shop has not accepted yet "
        "whose next attempt is due (each later than the last, a bounded number of times). "
        "`expire_orders` runs this too. Safe to run concurrently."
    )

    def handle(self, *args, **options):
        delivered, failed = sandbox_webhooks_retry()
        self.stdout.write(f"Sandbox webhooks: {delivered} delivered, {failed} to retry later.")
