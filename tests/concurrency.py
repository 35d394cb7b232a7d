"""Run one callable in several threads at once, each with its own database connection."""

import threading

from django.db import connection


def run_in_threads(count, target):
    """Start ``count`` threads that call ``target(i)`` together (behind a barrier) and
    return (results, errors); each thread closes its connection when it is done."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(target(i))
        except Exception as exc:  # collected and asserted on by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
