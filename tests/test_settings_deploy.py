"""Production settings pass Django's deployment checklist and hash with Argon2."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_KEY = "a-production-secret-" + "x" * 50


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
        SECRET_KEY=PRODUCTION_KEY,
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
        SECRET_KEY=PRODUCTION_KEY,
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
        SECRET_KEY=PRODUCTION_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("argon2$argon2id$")


def test_without_a_secret_key_production_settings_refuse_to_start_and_say_how_to_set_one():
    for unset in ({}, {"SECRET_KEY": ""}, {"SECRET_KEY": "   "}):
        result = _run_manage(
            "check",
            DJANGO_SETTINGS_MODULE="alongside.settings",
            ALLOWED_HOSTS="alongside.example.org",
            **unset,
        )
        assert result.returncode != 0, result.stdout
        assert "ImproperlyConfigured" in result.stderr
        assert "SECRET_KEY is not set" in result.stderr
        assert "set the SECRET_KEY environment variable" in result.stderr
        assert "DEBUG=1" in result.stderr


def test_with_debug_on_the_development_secret_is_used_as_make_run_does():
    result = _run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECRET_KEY == (s.LOCAL_DIR / 'secret_key').read_text().strip())",
        DJANGO_SETTINGS_MODULE="alongside.settings",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"]


def test_a_secret_key_from_the_environment_is_used_as_given():
    result = _run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        DJANGO_SETTINGS_MODULE="alongside.settings",
        SECRET_KEY=PRODUCTION_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PRODUCTION_KEY


def test_development_secret_is_generated_outside_git():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert ".local" in ignored or ".local/" in ignored
    tracked = subprocess.run(
        ["git", "ls-files", ".local"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert tracked == ""
