"""Addresses of pages, worked out once.

Django's `reverse` tries each pattern a name could mean and checks the result against it: about
40 µs a time on a small server, and a coach's home names a page for each of fifty people. The
answer depends only on the name, its arguments, the URL configuration and the prefix the site is
served under, so it is kept (issue 11). `{% url %}` in every template uses this (the `url` tag
of core/templatetags/paths.py replaces Django's, as a template builtin).

A static file's address is kept too (`static_path`): the storage looks it up in the manifest
and joins it to STATIC_URL each time, and every page names four in its frame.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf, reverse

from .request_id import request_memo

_SIMPLE = (str, int)


@lru_cache(maxsize=16384)
def _reverse(
    name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    prefix: str,
    urlconf: str,
) -> str:
    return reverse(name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


# The addresses this process has worked out for plain arguments, by name, the arguments and
# their types (so 5, "5" and 5.0 are not taken for each other), the app, and where the site is
# served from. A page names dozens of addresses: this is one dictionary look-up for each.
_known: dict[tuple[Any, ...], str] = {}
_MOST_KNOWN = 16384
_PLACE = object()  # the request memo's key for where this request is served from


def _place() -> tuple[str, str]:
    """The script prefix and URL configuration addresses are worked out under: read once a
    request (Django sets both before the first middleware runs), each time outside one."""
    memo = request_memo()
    if memo is None:
        return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    place = memo.get(_PLACE)
    if place is None:
        place = memo[_PLACE] = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return place


def path_to(
    name: str,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """`reverse(name, args=..., kwargs=...)`, remembered for plain arguments (numbers and
    words); anything else is worked out each time, as Django would."""
    if not kwargs:
        args = tuple(args)
        key = (name, args, tuple(map(type, args)), current_app, _place())
        known = _known.get(key)
        if known is not None:
            return known
        path = _worked_out(name, args, {}, current_app)
        if path is None:
            return reverse(name, args=args, current_app=current_app)
        if len(_known) >= _MOST_KNOWN:
            _known.clear()
        _known[key] = path
        return path
    kwargs = dict(kwargs)
    path = _worked_out(name, args, kwargs, current_app)
    if path is None:
        return reverse(name, args=args, kwargs=kwargs, current_app=current_app)
    return path


def _worked_out(
    name: str, args: Sequence[Any], kwargs: dict[str, Any], current_app: str | None
) -> str | None:
    """The address for plain arguments (None for any other: the caller asks `reverse`)."""
    # Words from a template are SafeStrings: a kind of str, and the same address.
    plain = all(isinstance(a, _SIMPLE) for a in args) and all(
        isinstance(v, _SIMPLE) for v in kwargs.values()
    )
    if not plain or not isinstance(name, str):
        return None
    prefix, urlconf = _place()
    return _reverse(name, tuple(args), tuple(sorted(kwargs.items())), current_app, prefix, urlconf)


def forget() -> None:
    """Forget every address worked out (the URL configuration changed)."""
    _reverse.cache_clear()
    _known.clear()


_static: dict[str, str] = {}


def static_path(path: str) -> str:
    """What `{% static path %}` gives (before escaping), remembered. The answer depends on the
    settings (STATIC_URL, the storage and its manifest) and nothing else; a file missing from
    the manifest raises as it would, and is not remembered."""
    try:
        return _static[path]
    except KeyError:
        url = _static[path] = StaticNode.handle_simple(path)
        return url


@receiver(setting_changed)
def _forget_on_new_urls(*, setting: str, **_: Any) -> None:
    # A test that swaps the URL configuration for another module of the same name.
    if setting == "ROOT_URLCONF":
        forget()
    # Any setting may change a static address (STATIC_URL, STORAGES, DEBUG, the apps): only
    # tests change settings, so forget them all.
    _static.clear()
