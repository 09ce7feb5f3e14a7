"""Production settings pass Django's deployment checklist and hash with Argon2."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a production host would set: nothing the test run itself switched on or off.
    base = {k: os.environ[k] for k in ("PATH", "HOME", "DATABASE_URL") if k in os.environ}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="alongside.settings",
        DEBUG="0",
        SECRET_KEY="a-production-secret-" + "x" * 50,
        ALLOWED_HOSTS="alongside.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_defaults_to_off_so_a_forgotten_variable_fails_safe():
    result = _run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.SECURE_SSL_REDIRECT)",
        DJANGO_SETTINGS_MODULE="alongside.settings",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_argon2_is_the_password_hasher_in_real_settings():
    result = _run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.hashers import make_password; print(make_password('x' * 12))",
        DJANGO_SETTINGS_MODULE="alongside.settings",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("argon2$argon2id$")


def test_development_secret_is_generated_outside_git():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert ".local" in ignored or ".local/" in ignored
    tracked = subprocess.run(
        ["git", "ls-files", ".local"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert tracked == ""
