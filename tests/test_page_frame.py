"""The page frame every page is drawn in (base.html), made cheaper without changing a byte
(issue 11): the sign-out form, the navigation and the messages written in Python
(core/templatetags/paths.py), static addresses and navigation addresses worked out once
(core/paths.py), and the signed-in user read without the lazy wrappers round it
(accounts/middleware.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template import engines
from django.templatetags.static import StaticNode as DjangoStaticNode
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils.functional import LazyObject
from django.utils.safestring import mark_safe

from alongside.accounts.models import Membership, Role
from alongside.core import paths
from alongside.home.context_processors import nav_for

pytestmark = pytest.mark.django_db

# base.html as it was before its frame was written in Python: what it must still write.
REFERENCE_BASE = """{% load static %}<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{% block title %}Alongside{% endblock %} · Alongside</title>
  <link rel="stylesheet" href="{% static 'alongside/site.css' %}">
  <link rel="stylesheet" href="{% static 'alongside/print.css' %}" media="print">
  <meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>
  <link rel="icon" href="{% static 'alongside/favicon.svg' %}" type="image/svg+xml">
</head>
<body class="{% block layout %}{% if user.is_authenticated and not user.is_person %}layout-staff{% else %}layout-narrow{% endif %}{% endblock %}">
  <a class="skip-link" href="#main">Skip to main content</a>
  <header class="site-header">
    <div class="wrap header-row">
      <a class="brand" href="{% url 'home:home' %}">Alongside</a>
      {% if user.is_authenticated %}
      <form class="sign-out" method="post" action="{% url 'accounts:sign_out' %}">
        {% csrf_token %}
        <button type="submit" class="button button-quiet">Sign out</button>
      </form>
      {% endif %}
    </div>
    {% if nav_items %}
    <nav class="site-nav" aria-label="Main">
      <div class="wrap">
        <ul>
          {% for item in nav_items %}
          <li><a href="{{ item.url }}"{% if request.path == item.url %} aria-current="page"{% endif %}>{{ item.label }}</a></li>
          {% endfor %}
        </ul>
      </div>
    </nav>
    {% endif %}
  </header>
  <main id="main" class="wrap" tabindex="-1">
    {% if messages %}
    <div class="messages" role="status">
      {% for message in messages %}<p class="message banner message-{{ message.tags }}">{{ message }}</p>{% endfor %}
    </div>
    {% endif %}
    {% block content %}{% endblock %}
  </main>
  <footer class="site-footer">
    <div class="wrap">
      <p>Alongside is open-source software for working alongside people, on their terms.</p>
    </div>
  </footer>
  <script src="{% static 'django_htmx/htmx-2.min.js' %}" defer></script>
</body>
</html>
"""  # noqa: E501

PAGE = "{% extends base %}{% block title %}A page{% endblock %}{% block content %}<p>Words.</p>{% endblock %}"  # noqa: E501
NARROW_PAGE = "{% extends base %}{% block layout %}layout-narrow{% endblock %}{% block content %}<p>Words.</p>{% endblock %}"  # noqa: E501

# The sign-out form's token is masked afresh each time it is drawn.
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+')


def _request(user: Any, path: str = "/", said: tuple[tuple[int, str], ...] = ()) -> Any:
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    for level, words in said:
        messages.add_message(request, level, words)
    return request


def _both(page: str, request: Any = None) -> tuple[str, str]:
    """The page drawn in base.html and in the reference, with the same request."""
    engine = engines["django"]
    child = engine.from_string(page)
    drawn = [
        child.render({"base": base}, request)
        for base in (engine.get_template("base.html"), engine.from_string(REFERENCE_BASE))
    ]
    return TOKEN.sub(r"\1~", drawn[0]), TOKEN.sub(r"\1~", drawn[1])


def _same(page: str, request: Any = None) -> str:
    ours, reference = _both(page, request)
    assert ours == reference
    return ours


def test_signed_out_the_frame_is_as_it_was():
    html = _same(PAGE, _request(AnonymousUser(), "/accounts/sign-in/"))
    assert "sign-out" not in html and "site-nav" not in html and 'class="messages"' not in html


def test_signed_out_with_a_message_the_frame_is_as_it_was():
    said = ((messages.INFO, "You were signed out because nobody used this for a while."),)
    html = _same(PAGE, _request(AnonymousUser(), "/accounts/sign-in/", said))
    assert "message-info" in html


@pytest.mark.parametrize("role", ["coach", "lead", "commissioner", "listener", "assessor"])
def test_for_each_role_the_frame_is_as_it_was(world, role):
    user = world[role]
    for path in ("/", "/people/", "/somewhere/else/"):
        html = _same(PAGE, _request(user, path))
        assert 'class="sign-out"' in html and 'class="site-nav"' in html
        assert 'class="layout-staff"' in html


def test_the_page_they_are_on_is_marked_as_it_was(world):
    html = _same(PAGE, _request(world["coach"], "/people/"))
    assert '<a href="/people/" aria-current="page">People I work alongside</a>' in html
    assert html.count("aria-current") == 1


def test_for_a_person_the_frame_is_as_it_was(world):
    html = _same(PAGE, _request(world["sam"].user, "/"))
    assert ">My space<" in html and 'class="layout-narrow"' in html


def test_someone_with_two_roles_and_messages_the_frame_is_as_it_was(world):
    Membership.objects.create(user=world["coach"], organisation=world["home"], role=Role.LISTENER)
    said = (
        (messages.SUCCESS, "Saved."),
        (messages.WARNING, 'Words with <b>marks</b> & "quotes" in them'),
        (messages.ERROR, mark_safe("Already <em>safe</em>")),
    )
    html = _same(PAGE, _request(world["coach"], "/listening/", said))
    assert "&lt;b&gt;marks&lt;/b&gt; &amp; &quot;quotes&quot;" in html
    assert "Already <em>safe</em>" in html
    assert 'message-success">Saved.<' in html


def test_a_page_that_chooses_its_layout_keeps_it(world):
    html = _same(NARROW_PAGE, _request(world["lead"], "/"))
    assert 'class="layout-narrow"' in html


def test_drawn_with_no_request_the_frame_is_as_it_was():
    # (A page drawn outside a request has no user, navigation, messages or token.)
    html = _same(PAGE)
    assert "sign-out" not in html and "site-nav" not in html


def test_real_pages_draw_the_same_frame(world, login):
    """A real page, through every middleware: its frame (after its title, up to its content,
    and after its content) is the reference's, drawn for the same request."""
    for who, path in (("lead", "/accounts/organisation/"), ("coach", "/people/")):
        response = login(world[who]).get(path)
        page = TOKEN.sub(r"\1~", response.content.decode())
        frame = engines["django"].from_string(REFERENCE_BASE).render({}, response.wsgi_request)
        frame = TOKEN.sub(r"\1~", frame)
        head = frame.split("</title>", 1)[1].split('<main id="main"', 1)[0]
        assert page.split("</title>", 1)[1].split('<main id="main"', 1)[0] == head
        assert page.split("</main>", 1)[1] == frame.split("</main>", 1)[1]
        assert 'aria-current="page"' in head


# --- addresses worked out once --------------------------------------------------------------


def test_a_static_address_is_what_django_gives_and_is_worked_out_once(monkeypatch):
    paths._static.clear()
    expected = DjangoStaticNode.handle_simple("alongside/site.css")
    assert paths.static_path("alongside/site.css") == expected
    asked = []
    monkeypatch.setattr(
        DjangoStaticNode, "handle_simple", classmethod(lambda cls, p: asked.append(p) or "x")
    )
    assert paths.static_path("alongside/site.css") == expected
    assert asked == []


def test_a_static_address_follows_the_settings():
    before = paths.static_path("alongside/site.css")
    with override_settings(STATIC_URL="/elsewhere/"):
        assert paths.static_path("alongside/site.css").startswith("/elsewhere/")
    assert paths.static_path("alongside/site.css") == before


def test_a_static_file_missing_from_the_manifest_still_fails():
    from django.contrib.staticfiles.storage import staticfiles_storage

    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        }
    ):
        staticfiles_storage.hashed_files = {}
        with pytest.raises(ValueError):
            paths.static_path("alongside/not-there.css")
        assert "alongside/not-there.css" not in paths._static


@pytest.mark.parametrize("role", ["coach", "lead", "commissioner", "analyst", "convener"])
def test_the_navigation_addresses_are_djangos(world, role):
    items = nav_for(world[role])
    assert items
    for item in items:
        assert item["url"] in {
            reverse(name)
            for name in (
                "home:home",
                "coaching:people",
                "accounts:organisation",
                "audit:trail",
                "home:area",
                "insight:home",
                "listening:exercises",
                "convening:home",
                "network:home",
            )
        }


# --- the signed-in user, unwrapped -----------------------------------------------------------


def test_a_page_reads_the_user_itself_not_through_lazy_wrappers(world, login):
    response = login(world["coach"]).get("/")
    user = response.wsgi_request.user
    assert not isinstance(user, LazyObject)
    assert user == world["coach"] and user.is_authenticated
    # django-otp's fields are on it: the coach needs no code, so has given none.
    assert user.otp_device is None and user.is_verified() is False


def test_a_lead_past_two_factor_is_still_verified(world, login):
    response = login(world["lead"]).get("/")
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert not isinstance(user, LazyObject)
    assert user.is_verified() and user.otp_device is not None


def test_a_lead_without_a_code_is_still_sent_to_give_one(world):
    from django.test import Client

    client = Client()
    client.force_login(world["lead"], backend="alongside.accounts.backends.UsernameBackend")
    assert client.get("/people/")["Location"] == "/accounts/two-factor/?next=/people/"


def test_signed_out_the_user_is_anonymous_and_unwrapped(client):
    response = client.get("/accounts/sign-in/")
    user = response.wsgi_request.user
    assert not isinstance(user, LazyObject) and not user.is_authenticated
