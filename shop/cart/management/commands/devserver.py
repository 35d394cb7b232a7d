"""``manage.py devserver``: Django's ``runserver`` (with static files) plus the clock that
releases expired unpaid orders every minute (``shop.checkout.scheduler``), so a demo's
unpaid orders never keep a product sold out. `make run` uses it; production never does
(it runs ``expire_orders`` from cron). It lives in the cart app because checkout is not
an installed app."""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from shop.checkout.scheduler import ExpiryScheduler


class Command(RunserverCommand):
    help = "Run the development server and release expired unpaid orders every minute."

    def inner_run(self, *args, **options):
        # inner_run is the serving process (the autoreloader's child), so one clock runs.
        ExpiryScheduler().start()
        self.stdout.write("Releasing expired unpaid orders every minute.")
        return super().inner_run(*args, **options)
