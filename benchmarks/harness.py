"""Set-up shared by the benchmark scripts: Django with the test settings (unless
DJANGO_SETTINGS_MODULE says otherwise), a temporary MEDIA_ROOT, and a throwaway
database for the measurements. Import it before anything from Django."""

import os
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haowu.settings.test")
MEDIA = tempfile.TemporaryDirectory(prefix="haowu-bench-media-")
os.environ["MEDIA_ROOT"] = MEDIA.name

import django  # noqa: E402

# WhiteNoise warns when collectstatic has not run; the benchmarks never serve static files.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()


@contextmanager
def throwaway_database():
    """A fresh test database (migrated) for the block; dropped with the media afterwards."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        MEDIA.cleanup()
