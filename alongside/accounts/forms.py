from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "That username and passphrase don't match. Check for typing mistakes and try again."
        ),
        "inactive": "This sign-in has been switched off. Ask your coach or lead.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Passphrase or password"
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean_username(self) -> str:
        # AuthenticationForm sets the field's max_length after making it, so Django never
        # checks it; an overlong username would reach the lockout table's 255-character column.
        username = self.cleaned_data.get("username") or ""
        if len(username) > (self.username_field.max_length or 150):
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return username


class TokenForm(forms.Form):
    token = forms.CharField(
        label="6-digit code from your app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError("The code is 6 numbers, like 123456.")
        return token


class WelcomeForm(forms.Form):
    """A person sets up their own sign-in with the code their coach gave them."""

    code = forms.CharField(
        label="Your invite code",
        help_text="It looks like ABCD-EFGH-JKLM. Capitals or small letters are both fine.",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    username = forms.CharField(
        label="Choose a username",
        help_text="Anything you'll remember. It doesn't need to be your real name.",
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    passphrase = forms.CharField(
        label="Choose a passphrase",
        help_text="At least 12 characters, and not easy to guess: no runs of keys like "
        "'qwerty' or '1234'. A few words you'll remember works well, "
        "like 'blue kettle on tuesdays'.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    passphrase_again = forms.CharField(
        label="Type your passphrase again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not all(ch.isalnum() or ch in "._-" for ch in username):
            raise forms.ValidationError(
                "Use letters, numbers, dots, dashes or underscores, with no spaces."
            )
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") and data.get("passphrase") != data.get("passphrase_again"):
            self.add_error("passphrase_again", "The two passphrases aren't the same. Try again.")
        return data


class ShareBarriersForm(forms.Form):
    """A lead's choice: do the barriers our people agreed to share join the area's convening?"""

    shares = forms.TypedChoiceField(
        label="Share barriers with conveners across our area",
        choices=[
            ("yes", "Yes: they join the system themes of conveners across our area"),
            ("no", "No: only our own conveners use them"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=(
            "Only barriers each person agreed to share, without their name. Other organisations "
            "see them redacted, with small numbers hidden."
        ),
    )


class ShareCoachingFiguresForm(forms.Form):
    """A lead's choice: do our coaching figures join the area's insight (issue 14)?"""

    shares = forms.TypedChoiceField(
        label="Share our coaching figures with the area's insight",
        choices=[
            ("yes", "Yes: our check-in changes and counts join the area's insight"),
            ("no", "No: our coaching figures stay with us"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=(
            "Check-in changes and counts, never a person: the area's analysts and commissioners "
            "see averages and totals only, with small numbers hidden."
        ),
    )
