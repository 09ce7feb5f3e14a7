"""Forms for convening groups: the group, a new member, a meeting, an action. Each re-shows
what was typed, with a clear message, when something needs changing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from alongside.core.forms import DateInput, RecordChoices

from .models import GroupMember
from .selectors import groups as selectors

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10


def sensible_date(day: date) -> None:
    """A day the group could have met or could plan for: this century, and not more than
    ten years ahead (an impossible year would break the sums of before and during)."""
    if day < EARLIEST:
        raise forms.ValidationError("Choose a day in 2000 or later.")
    if day > timezone.localdate() + timedelta(days=365 * YEARS_AHEAD):
        raise forms.ValidationError("That's more than ten years away.")


KIND_CHOICES = [
    (GroupMember.Kind.STAFF.value, "Staff here"),
    (GroupMember.Kind.PARTNER.value, "A partner (from another organisation, or a guest)"),
    (GroupMember.Kind.LIVED_EXPERIENCE.value, "Someone with lived experience"),
]


class GroupForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which organisation keeps this group", queryset=None, empty_label=None
    )
    name = forms.CharField(
        label="The group's name",
        max_length=200,
        help_text="For example: Getting a home without a local connection.",
    )
    purpose = forms.CharField(
        label="What the group is for",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In a sentence or two, in the words of the people in it.",
    )
    themes = RecordChoices(
        label="The system themes it works on",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose one or more.",
        error_messages={"required": "Choose at least one system theme the group works on."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, organisations: Any, themes: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes
        self.fields["themes"].label_from_instance = lambda theme: theme.title
        if editing:
            del self.fields["organisation"]
            return
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations.first()


class MemberForm(forms.Form):
    kind = forms.ChoiceField(label="Who is joining", choices=KIND_CHOICES, widget=forms.RadioSelect)
    staff_user = forms.ModelChoiceField(
        label="Staff here",
        queryset=None,
        required=False,
        empty_label="Choose someone",
        help_text="For staff only.",
    )
    username = forms.CharField(
        label="Their Alongside username, if they have one",
        max_length=150,
        required=False,
        help_text="A partner's sign-in at their own organisation, or the sign-in of someone "
        "coached here or nearby. Ask them for it: we never list the people coached.",
    )
    guest_name = forms.CharField(
        label="Or their name, for a guest without a sign-in",
        max_length=200,
        required=False,
        help_text="For someone with lived experience this is only kept if they agree to be named.",
    )
    agreed_to_be_named = forms.BooleanField(
        label="They agreed to be named in this group",
        required=False,
        help_text="Someone with lived experience who hasn't agreed is shown as "
        "\u201ca member with lived experience\u201d, with no name anywhere.",
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["staff_user"].queryset = selectors.staff_choices(organisation)
        self.fields["staff_user"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        username = (data.get("username") or "").strip()
        guest = " ".join((data.get("guest_name") or "").split())
        data["user"] = None
        data["guest_name"] = guest
        if kind == GroupMember.Kind.STAFF:
            if not data.get("staff_user"):
                self.add_error("staff_user", "Choose who from the staff is joining.")
            data["user"] = data.get("staff_user")
            data["guest_name"] = ""
        elif kind == GroupMember.Kind.PARTNER:
            if username:
                user = selectors.partner_user(username, self.organisation)
                if user is None:
                    self.add_error(
                        "username",
                        "We couldn't find a partner with that username. Check it with them, "
                        "or give their name as a guest instead.",
                    )
                data["user"] = user
                data["guest_name"] = ""
            elif not guest:
                self.add_error("guest_name", "Give their username or their name.")
        elif kind == GroupMember.Kind.LIVED_EXPERIENCE:
            if username:
                user = selectors.lived_experience_user(username, self.organisation)
                if user is None:
                    self.add_error(
                        "username",
                        "We couldn't find that sign-in among the people coached here or "
                        "nearby. Check it with them, or add them as a guest.",
                    )
                data["user"] = user
                data["guest_name"] = ""
            elif not guest and data.get("agreed_to_be_named"):
                self.add_error("guest_name", "Give the name they'd like to be called here.")
            # A guest who does not want to be named is still someone in the room: kept
            # with no name at all.
        return data


class NamingForm(forms.Form):
    agreed_to_be_named = forms.BooleanField(required=False)


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label="When the group met", widget=DateInput(), validators=[sensible_date]
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What was talked about. When you save, phone numbers, email addresses and "
        "the names of anyone with lived experience who hasn't agreed to be named are taken out.",
    )
    decisions = forms.CharField(
        label="What we decided",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One decision a line.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionForm(forms.Form):
    what = forms.CharField(label="What they'll do", max_length=500)
    owner = forms.ModelChoiceField(
        label="Who will do it", queryset=None, required=False, empty_label="Not decided yet"
    )
    due_on = forms.DateField(
        label="By when", widget=DateInput(), validators=[sensible_date], required=False
    )
    meeting = forms.ModelChoiceField(
        label="Agreed at", queryset=None, required=False, empty_label="Not at a meeting"
    )

    def __init__(self, *args: Any, members: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].label_from_instance = selectors.member_name
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"The meeting on {selectors.day_words(m.held_on)}"
        )
