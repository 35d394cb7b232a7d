"""The development server's clock: `make run` gives unpaid orders' stock back by itself.

Production runs ``manage.py expire_orders`` from cron (README); a developer's demo has no
cron, and an order left unpaid would keep its product sold out. ``ExpiryScheduler`` runs
the same command every ``interval`` seconds in a daemon thread of the dev server
(``manage.py devserver``), and nowhere else: not in tests, not under gunicorn.
The command is called by name (``call_command``), so whatever ``expire_orders`` grows to
do (cancelling card charges, say) happens here too.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.core.management import call_command
from django.db import connection

logger = logging.getLogger(__name__)

EXPIRY_INTERVAL_SECONDS = 60


def expire_orders_run() -> None:
    call_command("expire_orders", verbosity=0)


class ExpiryScheduler:
    """Decides when to run ``job`` (at once, then every ``interval`` seconds) and runs it;
    ``tick`` is the whole decision, the thread only calls it."""

    def __init__(self, *, interval: float = EXPIRY_INTERVAL_SECONDS, job: Callable[[], None] = expire_orders_run,
                 clock: Callable[[], float] = time.monotonic):
        self.interval, self.job, self.clock = interval, job, clock
        self.next_run: float | None = None
        self._stop = threading.Event()

    def tick(self) -> bool:
        """Run the job if it is due; whether it ran. A failing run is logged and tried
        again at the next interval: the server keeps serving."""
        now = self.clock()
        if self.next_run is not None and now < self.next_run:
            return False
        self.next_run = now + self.interval
        try:
            self.job()
        except Exception:  # a dev server must outlive a failing run
            logger.exception("Releasing expired unpaid orders failed; trying again in %s s.", self.interval)
        finally:
            if not connection.in_atomic_block:
                connection.close()  # the thread's own connection: not held open between runs
        return True

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._loop, name="haowu-expire-orders", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(1)
