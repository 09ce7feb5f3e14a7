"""The design page, /design/: every component of the stylesheet with sample content.

For the people who build and check Alongside: staff (anyone who holds a role in an
organisation, or Django's own staff flag), or anyone at all while DEBUG is on. A person signed
in to their own space, or someone not signed in, does not get it on a real site. The sample
content is made up here: the page reads no records.

`core` imports no app above it, so "staff" is asked of the user object itself (a signed-in
user with memberships and no person record), not of the policy module.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .forms import DateInput


def may_see_design(user: Any) -> bool:
    """Staff, never a person in their own space, never someone signed out (unless DEBUG)."""
    if settings.DEBUG:
        return True
    if not getattr(user, "is_authenticated", False) or hasattr(user, "person"):
        return False
    return bool(user.is_staff or user.memberships.exists())


class SampleForm(forms.Form):
    """Every kind of control the forms use, so each can be seen styled."""

    name = forms.CharField(
        label="What would you like to be called?",
        help_text="The name people use for you. It does not have to be your legal name.",
        error_messages={"required": "Tell us the name you would like us to use."},
    )
    words = forms.CharField(
        label="What happened, in a few words",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    met_on = forms.DateField(label="When did you meet?", widget=DateInput(), required=False)
    how = forms.ChoiceField(
        label="How did you meet?",
        choices=[("", "Choose one"), ("face", "Face to face"), ("phone", "On the phone")],
        required=False,
    )
    feeling = forms.ChoiceField(
        label="How did it feel?",
        choices=[("good", "It went well"), ("mixed", "A bit of both"), ("hard", "It was hard")],
        widget=forms.RadioSelect,
        required=False,
    )
    talked_about = forms.MultipleChoiceField(
        label="What did you talk about?",
        help_text="Choose all that fit.",
        choices=[("home", "Somewhere to live"), ("money", "Money"), ("family", "Family")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    share = forms.BooleanField(label="Sam may read this in his own space", required=False)


def sample_form(typed: Any = None) -> SampleForm:
    """A bound form with one mistake, so the error summary and a field's error show; or, once
    someone has tried the form (it sends itself back with GET), what they typed, checked."""
    if typed and any(key.startswith("sample-") for key in typed):
        form = SampleForm(data=typed, prefix="sample")
    else:
        form = SampleForm(
            data={
                "sample-name": "",
                "sample-words": "We walked to the library.",
                "sample-feeling": "good",
            },
            prefix="sample",
        )
    form.is_valid()
    return form


def design(request: HttpRequest) -> HttpResponse:
    if not may_see_design(request.user):
        if not getattr(request.user, "is_authenticated", False):
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    context = {
        "form": sample_form(request.GET),
        "today": timezone.localdate(),
        "now": timezone.localtime(),
        "rows": [
            ("Tuesday 1 December", "Face to face", "Getting to know each other", 45),
            ("Thursday 26 November", "On the phone", "Working together", 20),
            ("Monday 16 November", "A walk", "Working together", 60),
        ],
    }
    return render(request, "core/design.html", context)
