from urllib.parse import urlsplit

from django import template

from alongside.core.money import pounds as _pounds

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    return _pounds(pence)


@register.filter
def label(key: str) -> str:
    """A data key as words: "life_satisfaction" -> "Life satisfaction"."""
    return str(key).replace("_", " ").capitalize()


@register.filter
def safe_link(url: object) -> str:
    """The address if it is an http(s) web address, otherwise "" (so `{% if %}` around the
    link falls back to plain words). For any link whose address came from someone's typing
    or a loaded file: a `javascript:` or `data:` address never reaches an href.

    Usage: `{% with href=thing.url|safe_link %}{% if href %}<a href="{{ href }}">…`."""
    if not isinstance(url, str):
        return ""
    url = url.strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return url
