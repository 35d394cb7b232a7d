"""Production settings refuse to start badly configured and pass Django's deploy checks."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args, *, env_overrides, cwd=ROOT):
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT"}
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "haowu.settings.production",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "site"), str(ROOT)]),
        **env_overrides,
    })
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )


def _good_secret():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


SETUP = ["-c", "import django; django.setup()"]


@pytest.mark.parametrize(
    "secret",
    [None, "", "django-insecure-haowu-dev-only", "short-secret"],
    ids=["missing", "empty", "dev-secret", "too-short"],
)
def test_production_refuses_to_start_without_a_real_secret(secret, tmp_path):
    env = {"ALLOWED_HOSTS": "example.com", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    if secret is not None:
        env["SECRET_KEY"] = secret

    result = _run(SETUP, env_overrides=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    # a readable message, not only a traceback of internals
    assert "ImproperlyConfigured" in result.stderr


def test_production_starts_with_a_good_environment(tmp_path):
    result = _run(SETUP, env_overrides={
        "SECRET_KEY": _good_secret(), "ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    })
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env_overrides={
            "SECRET_KEY": _good_secret(), "ALLOWED_HOSTS": "example.com",
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
