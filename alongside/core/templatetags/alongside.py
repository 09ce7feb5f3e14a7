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
