"""A server worker starts light: loading the site and every URL imports none of the heavy
libraries (the theme engine's numpy, scipy and scikit-learn, the sentence model's readers, the
Word and PDF writers). They are imported where they are used, the first time they are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("numpy", "scipy", "sklearn", "tokenizers", "safetensors", "docx", "reportlab")

# Run in a fresh interpreter: the test process itself has long since imported all of them.
PROGRAM = """
import json, sys

from alongside.wsgi import application  # django.setup(), as a worker does
import alongside.urls
from django.urls import URLPattern, URLResolver, get_resolver

def walk(resolver):
    count = 0
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            count += walk(pattern)
        elif isinstance(pattern, URLPattern):
            assert callable(pattern.callback), pattern
            count += 1
    return count

resolved = walk(get_resolver())
heavy = %r
print(json.dumps({
    "patterns": resolved,
    "loaded": sorted(name for name in heavy if name in sys.modules),
}))
"""


def test_loading_the_site_and_every_url_imports_no_heavy_library():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alongside.settings",
        "DEBUG": "1",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM % (HEAVY,)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["patterns"] > 50, "every URL was walked"
    assert result["loaded"] == [], (
        f"{', '.join(result['loaded'])} imported when the site loads: import them inside the "
        "function that uses them"
    )
