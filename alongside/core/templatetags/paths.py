"""`{% url %}` and `{% static %}` through core.paths: the same tags, the same answers, each
worked out once. Loaded as a template builtin (settings.TEMPLATES), after Django's, so `url`
takes the name everywhere; `static` only where a template does not `{% load static %}` (which
brings Django's back), as base.html does not.

Also the three parts of the page frame (base.html) that change with who is signed in: the
sign-out form, the main navigation and the messages. Every page draws them; as template nodes
(`{% if %}`, `{% for %}`, lookups that try a dictionary, then an attribute) they cost about 350
more Python calls a page than written here, one node each (issue 11). They read the same context
variables the template did (`user`, `request`, `nav_items` from home's context processor,
`messages`, `csrf_token`), and tests/test_page_frame.py compares them byte for byte with the
template they replace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.template import Node, defaulttags
from django.template.base import render_value_in_context
from django.templatetags import static as django_static
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from alongside.core.paths import path_to, static_path

register = template.Library()


class URLNode(defaulttags.URLNode):
    def render(self, context: Any) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        url = ""
        try:
            url = path_to(view_name, args, kwargs, current_app(context))
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


def current_app(context: Any) -> str | None:
    # As Django's `{% url %}` finds it.
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


@register.tag
def url(parser: Any, token: Any) -> URLNode:
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)


class StaticNode(django_static.StaticNode):
    def url(self, context: Any) -> str:
        return static_path(self.path.resolve(context))


@register.tag
def static(parser: Any, token: Any) -> django_static.StaticNode:
    return StaticNode.handle_token(parser, token)


# --- The page frame -------------------------------------------------------------------------
# Each function writes exactly what the `{% if %}` it replaced in base.html wrote, the white
# space between tags included, or "" where the condition was false.


class _FrameNode(Node):
    child_nodelists = ()

    def __init__(self, write: Callable[[Any], str]) -> None:
        self.write = write

    def render(self, context: Any) -> str:
        return self.write(context)


def _frame_tag(write: Callable[[Any], str]) -> Callable[[Any], str]:
    def compile_tag(parser: Any, token: Any) -> _FrameNode:
        if len(token.split_contents()) != 1:
            raise template.TemplateSyntaxError(f"{token.contents!r} takes no arguments")
        return _FrameNode(write)

    register.tag(write.__name__, compile_tag)
    return write


_CSRF_TOKEN = defaulttags.CsrfTokenNode()

_SIGN_OUT = (
    '\n      <form class="sign-out" method="post" action="{action}">'
    "\n        {csrf}"
    '\n        <button type="submit" class="button button-quiet">Sign out</button>'
    "\n      </form>\n      "
)


@_frame_tag
def sign_out_form(context: Any) -> str:
    """The sign-out button, for anyone signed in."""
    if not getattr(context.get("user"), "is_authenticated", False):
        return ""
    action = conditional_escape(path_to("accounts:sign_out", current_app=current_app(context)))
    return _SIGN_OUT.format(action=action, csrf=_CSRF_TOKEN.render(context))


_NAV_OPEN = (
    '\n    <nav class="site-nav" aria-label="Main">'
    '\n      <div class="wrap">\n        <ul>\n          '
)
_NAV_ITEM = '\n          <li><a href="{url}"{current}>{label}</a></li>\n          '
_NAV_CLOSE = "\n        </ul>\n      </div>\n    </nav>\n    "


@_frame_tag
def main_navigation(context: Any) -> str:
    """The links the signed-in user's roles may use (`nav_items`), the page they are on marked."""
    items = context.get("nav_items")
    if not items:
        return ""
    here = getattr(context.get("request"), "path", None)
    links = [
        _NAV_ITEM.format(
            url=conditional_escape(item["url"]),
            current=' aria-current="page"' if here == item["url"] else "",
            label=conditional_escape(item["label"]),
        )
        for item in items
    ]
    return f"{_NAV_OPEN}{''.join(links)}{_NAV_CLOSE}"


@_frame_tag
def page_messages(context: Any) -> str:
    """What the last request left to say ("Saved."), said once."""
    messages = context.get("messages")
    if not messages:
        return ""
    said = "".join(
        f'<p class="message banner message-{render_value_in_context(message.tags, context)}">'
        f"{render_value_in_context(message, context)}</p>"
        for message in messages
    )
    return f'\n    <div class="messages" role="status">\n      {said}\n    </div>\n    '
