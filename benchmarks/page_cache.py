"""The page cache under load: gunicorn (2 workers, production settings) and wrk, in one run.

Measures requests/s of ``/healthz`` (one database round trip: the baseline), of an article
with 12 product blocks answered from the page cache, and of the same article rendered
on every request (a second gunicorn with ``HAOWU_PAGE_CACHE_SECONDS=0``), in paired
rounds (healthz, cached, uncached, again and again) so a slow moment hits all three.
Goal: cached article ≥ 0.3× healthz. The database is a throwaway SQLite file unless
``DATABASE_URL`` names another; the cache is each worker's local memory unless
``CACHE_URL`` names a shared one (e.g. ``redis://127.0.0.1:6379/8``).

    .venv/bin/python benchmarks/page_cache.py [--seconds 5] [--rounds 3] [--connections 16]
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(tempfile.mkdtemp(prefix="haowu-bench-pagecache-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'db.sqlite3'}")

import harness  # noqa: E402  (Django set up with the test settings, for seeding)

GOAL = 0.3
VENV_BIN = Path(sys.executable).parent


def seed() -> str:
    """Migrate the database and build an article with 12 product blocks; its URL."""
    from django.core.management import call_command

    from content.models import HomePage
    from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, ProductFactory
    from tests.factories import content as body

    call_command("migrate", verbosity=0)
    index = ArticleIndexPageFactory(parent=HomePage.objects.get(), slug="picks")
    products = [
        ProductFactory(title=f"Product {i}", slug=f"product-{i}",
                       skus=[{"code": f"SKU-{i}", "price": f"{100 + i}.00", "stock": 50}])
        for i in range(12)
    ]
    article = ArticlePageFactory(
        parent=index, title="Twelve good things", slug="twelve",
        body=[body.paragraph("<p>What we use every day.</p>"), *[body.product_card(p) for p in products]],
    )
    return article.url


def server_env(**extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "haowu.settings.production",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(WORK / "static"),
        "MEDIA_ROOT": harness.MEDIA.name,
        "LOG_LEVEL": "ERROR",
        **extra,
    }
    return env


def start(port: int, **extra) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--pythonpath", str(ROOT / "site"), "--chdir", str(ROOT),
         "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "error", "haowu.wsgi"],
        env=server_env(**extra), start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"gunicorn on port {port} did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def wrk(url: str, *, seconds: int, connections: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url], capture_output=True, text=True, check=True,
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url} answered errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk).")

    path = seed()
    subprocess.run([str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=server_env(), check=True)
    cached_server = start(8731)
    uncached_server = start(8732, HAOWU_PAGE_CACHE_SECONDS="0")
    try:
        cached_url, uncached_url = f"http://127.0.0.1:8731{path}", f"http://127.0.0.1:8732{path}"
        healthz_url = "http://127.0.0.1:8731/healthz"
        for _ in range(8):  # fill each worker's cache, as a running server has it
            urllib.request.urlopen(cached_url).read()
        results = {"healthz": [], "cached": [], "uncached": []}
        for _ in range(args.rounds):
            for name, url in (("healthz", healthz_url), ("cached", cached_url), ("uncached", uncached_url)):
                results[name].append(wrk(url, seconds=args.seconds, connections=args.connections))
    finally:
        stop(cached_server)
        stop(uncached_server)
        shutil.rmtree(WORK, ignore_errors=True)

    median = {name: statistics.median(values) for name, values in results.items()}
    ratios = [cached / healthz for cached, healthz in zip(results["cached"], results["healthz"], strict=True)]
    ratio = statistics.median(ratios)
    print(f"cache: {os.environ.get('CACHE_URL') or 'local memory per worker'}; "
          f"database: {os.environ['DATABASE_URL'].split(':', 1)[0]}; {args.rounds} paired rounds of "
          f"{args.seconds}s, {args.connections} connections, gunicorn 2 workers")
    for name in ("healthz", "cached", "uncached"):
        print(f"{name:>9}: {median[name]:8.1f} req/s  (rounds: {', '.join(f'{v:.0f}' for v in results[name])})")
    print(f"cached article / healthz: {ratio:.2f}x (goal >= {GOAL}x) {'PASS' if ratio >= GOAL else 'FAIL'}")
    print(f"uncached article / healthz: {median['uncached'] / median['healthz']:.2f}x; "
          f"cached / uncached: {median['cached'] / median['uncached']:.1f}x")


if __name__ == "__main__":
    main()
