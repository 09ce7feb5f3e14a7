"""Settings for the test suite: production settings, with the few changes tests need."""

import os

# The test client and the browser tests' live server speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
# Tests run with DEBUG off, like production, which refuses to start without a SECRET_KEY.
# This one signs nothing but test data.
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-" + "k" * 40)

from alongside.settings import *  # noqa: E402,F403

# Argon2 is deliberately slow; tests/test_settings_deploy.py checks the real settings use it.
# AUTH_PASSWORD_VALIDATORS stay as they are: tests/test_passphrases.py checks they are used.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Each test process keeps the areas' DuckDB files in a folder of its own (tests/conftest.py
# empties it after every test, as the database is emptied).
import tempfile  # noqa: E402

INSIGHT_ROOT = tempfile.mkdtemp(prefix="alongside-insight-")
