from django.core.management.base import BaseCommand

from shop.orders.services import orders_expire


class Command(BaseCommand):
    help = "Cancel unpaid orders past their pay-by time and return their stock. Safe to run concurrently."

    def handle(self, *args, **options):
        count = orders_expire()
        self.stdout.write(f"Expired {count} unpaid order(s).")
