"""Screenshots of each role's home and of a person's page, at a desktop width and on a phone,
written to docs/screenshots/ under fixed names (the README shows some of them). Run these
tests again to retake them after the pages change:

    .venv/bin/pytest tests/browser/test_screenshots.py -p no:randomly

Each page must open, fit its width without scrolling sideways, and greet the right person.
A screenshot shows at most the first MAX_HEIGHT pixels of a page: what someone sees first.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from alongside.accounts.models import Role
from alongside.coaching.models import Person
from alongside.convening.models import SystemTheme
from alongside.demo.convening import SYSTEM_THEMES
from alongside.insight.models import Analysis
from alongside.network.models import Service

from .helpers import account_for, path_of, sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "docs" / "screenshots"))
WIDTHS = {1280: 900, 360: 780}  # width: the height of the window
MAX_HEIGHT = 2400

# (file name's start, the demo sign-in's role, the page, words that must be on it)
PAGES = [
    ("person-home", "person", "/", "Sam"),
    ("coach-home", Role.COACH, "/", "Priya"),
    ("lead-home", Role.LEAD, "/", "Morag"),
    ("listener-home", Role.LISTENER, "/", "Kofi"),
    ("person-page", Role.COACH, "/people/{sam}/", "Sam"),
    ("convening-home", Role.CONVENER, "/convening/", "Where the learning lands"),
    ("system-theme", Role.CONVENER, "/convening/themes/{theme}/", "Housing register"),
    ("insight-home", Role.ANALYST, "/insight/", "Who the system lets down most"),
    ("insight-analysis", Role.ANALYST, "/insight/analyses/{analysis}/", "What stands out"),
    ("network-home", Role.ASSESSOR, "/network/", "Coming up"),
    ("directory-search", Role.ASSESSOR, "/directory/?q=coaching", "Coaching alongside you"),
    ("directory-service", Role.ASSESSOR, "/directory/services/{service}/", "Tuesdays and"),
]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize(("name", "role", "path", "words"), PAGES, ids=[p[0] for p in PAGES])
def test_screenshot(demo, new_context, name, role, path, words):
    sam = Person.objects.get(user__username="sam")
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = new_context(viewport={"width": 1280, "height": WIDTHS[1280]})
    page = context.new_page()
    sign_in(page, account_for(role))
    theme = SystemTheme.objects.get(title=SYSTEM_THEMES[0].title)
    analysis = Analysis.objects.order_by("pk").first()
    service = Service.objects.get(name="Harbour café drop-in")
    target = path.format(
        sam=sam.pk, theme=theme.pk, analysis=analysis.pk if analysis else 0, service=service.pk
    )
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(target)
        assert response is not None and response.status == 200, f"{target}: {response}"
        assert path_of(page) == target
        assert words in page.locator("main").inner_text()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width}px wide at {width}px"
        full = page.evaluate("document.documentElement.scrollHeight")
        shot = SHOTS / f"{name}-{width}.png"
        page.screenshot(
            path=str(shot),
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": min(full, MAX_HEIGHT)},
            animations="disabled",
            caret="hide",
        )
        assert png_size(shot) == (width, min(full, MAX_HEIGHT))
