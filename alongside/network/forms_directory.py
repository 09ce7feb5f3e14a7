"""Forms for keeping directory entries: an organisation, a service with its places, opening
times and contacts (each a small formset, so it works without JavaScript), and a decision."""

from __future__ import annotations

import re
import uuid
from typing import Any, cast

from django import forms
from django.forms import formset_factory

from . import entries
from .models import Service

DAY_CHOICES = [(code, entries.DAY_NAMES[code]) for code in entries.DAY_CODES]
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
PHONE = re.compile(r"^[0-9 +()\-]{6,30}$")
# What the directory's email columns hold (a model EmailField's 254): a form's EmailField
# would take up to 320, and approving a longer one failed on PostgreSQL.
EMAIL_MAX = 254


def _words(value: Any) -> str:
    return str(value or "").replace("\x00", "").strip()


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=0, **kwargs)


class OrganisationEntryForm(forms.Form):
    keeper = forms.ChoiceField(
        label="Which organisation, in which network",
        required=False,
    )
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="What the organisation does",
        help_text="A line or two in plain words, as you would say it to someone you meet.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    email = forms.EmailField(label="Email (optional)", required=False, max_length=EMAIL_MAX)
    website = forms.URLField(
        label="Website (optional)", required=False, max_length=500, assume_scheme="https"
    )
    version = VersionField()

    def __init__(self, *args: Any, keepers: list[tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        if keepers:
            cast(forms.ChoiceField, self.fields["keeper"]).choices = keepers
            self.fields["keeper"].required = True
            if len(keepers) == 1:
                self.fields["keeper"].widget = forms.HiddenInput()
                self.fields["keeper"].initial = keepers[0][0]
        else:
            del self.fields["keeper"]

    def entry(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "shape": entries.SHAPE,
            "kind": "organisation",
            **{field: _words(data.get(field)) for field in entries.ORGANISATION_FIELDS},
        }


class ServiceEntryForm(forms.Form):
    name = forms.CharField(label="Name of the service", max_length=200)
    description = forms.CharField(
        label="What it is",
        help_text="What happens, and what someone can expect the first time. The first line is "
        "shown in search results.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=6000,
    )
    status = forms.ChoiceField(label="Is it running?", choices=Service.Status.choices)
    minimum_age = forms.IntegerField(
        label="Youngest age (optional)", required=False, min_value=0, max_value=120
    )
    maximum_age = forms.IntegerField(
        label="Oldest age (optional)", required=False, min_value=0, max_value=120
    )
    fees = forms.CharField(
        label="What it costs (optional)",
        help_text="For example: free, or £2 a session, with help if that is hard.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    url = forms.URLField(
        label="Web page (optional)", required=False, max_length=500, assume_scheme="https"
    )
    email = forms.EmailField(label="Email (optional)", required=False, max_length=EMAIL_MAX)
    terms = forms.MultipleChoiceField(
        label="How it works",
        help_text="Choose the words that describe how the service works with people.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.MultipleChoiceField(
        label="Areas it covers", required=False, widget=forms.CheckboxSelectMultiple
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        term_choices: list[tuple[str, str]] | None = None,
        area_choices: list[tuple[str, str]] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["terms"]).choices = term_choices or []
        cast(forms.ChoiceField, self.fields["areas"]).choices = area_choices or []
        if not area_choices:
            del self.fields["areas"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "The oldest age is less than the youngest.")
        return data


class PlaceForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Name of the place (optional)", required=False, max_length=200)
    address_1 = forms.CharField(label="Address line 1", required=False, max_length=200)
    address_2 = forms.CharField(label="Address line 2 (optional)", required=False, max_length=200)
    city = forms.CharField(label="Town or city", required=False, max_length=100)
    state_province = forms.CharField(label="County (optional)", required=False, max_length=100)
    postal_code = forms.CharField(label="Postcode", required=False, max_length=20)

    def clean_postal_code(self) -> str:
        code = " ".join(_words(self.cleaned_data.get("postal_code")).upper().split())
        if code and not POSTCODE.match(code):
            raise forms.ValidationError("Enter a postcode such as LS1 4AP.")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [f for f in entries.LOCATION_FIELDS if _words(data.get(f))]
        if filled and not (_words(data.get("address_1")) or _words(data.get("name"))):
            self.add_error("address_1", "Give the first line of the address.")
        if filled and not (_words(data.get("city")) or data.get("postal_code")):
            self.add_error("city", "Give the town, or the postcode.")
        return data

    def item(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not any(_words(data.get(f)) for f in entries.LOCATION_FIELDS):
            return None  # left blank, or cleared to take it off
        return {
            "id": _uuid_or_none(data.get("id")),
            **{f: _words(data.get(f)) for f in entries.LOCATION_FIELDS},
        }


class TimesForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    days = forms.MultipleChoiceField(
        label="Days", choices=DAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(
        label="Opens at",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    closes_at = forms.TimeField(
        label="Closes at",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    description = forms.CharField(
        label="Anything to add (optional)",
        help_text="For example: the first Monday of the month, or by appointment.",
        required=False,
        max_length=300,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if (opens or closes or _words(data.get("description"))) and not data.get("days"):
            self.add_error("days", "Choose the days these times are for.")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "It closes before it opens.")
        return data

    def item(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("days"):
            return None
        clock = entries._clock
        return {
            "id": _uuid_or_none(data.get("id")),
            "byday": ",".join(code for code in entries.DAY_CODES if code in data["days"]),
            "opens_at": clock(data.get("opens_at")),
            "closes_at": clock(data.get("closes_at")),
            "description": _words(data.get("description")),
        }


class ContactForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Who to ask for (optional)",
        help_text="A name or a role, such as 'the duty worker'.",
        required=False,
        max_length=200,
    )
    phone = forms.CharField(label="Phone", required=False, max_length=40)
    email = forms.EmailField(label="Email", required=False, max_length=EMAIL_MAX)

    def clean_phone(self) -> str:
        phone = _words(self.cleaned_data.get("phone"))
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("Enter a phone number such as 0113 496 0000.")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if _words(data.get("name")) and not (data.get("phone") or data.get("email")):
            self.add_error("phone", "Give a phone number or an email for them.")
        return data

    def item(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not any(_words(data.get(f)) for f in entries.CONTACT_FIELDS):
            return None
        return {
            "id": _uuid_or_none(data.get("id")),
            **{f: _words(data.get(f)) for f in entries.CONTACT_FIELDS},
        }


def _uuid_or_none(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None


PlaceFormSet = formset_factory(PlaceForm, extra=1, max_num=10, absolute_max=20)
TimesFormSet = formset_factory(TimesForm, extra=2, max_num=14, absolute_max=20)
ContactFormSet = formset_factory(ContactForm, extra=1, max_num=5, absolute_max=10)


class ServiceForms:
    """The service form and its three formsets, made, checked and turned into an entry as one."""

    def __init__(
        self,
        data: Any = None,
        *,
        entry: dict[str, Any],
        term_groups: list[tuple[str, list[tuple[str, str]]]],
        term_names: dict[str, str],
        area_choices: list[tuple[str, str]],
        version: int | None,
    ) -> None:
        initial = {field: entry.get(field) for field in entries.SERVICE_FIELDS}
        initial["terms"] = [term["id"] for term in entry.get("terms", [])]
        initial["areas"] = [area["slug"] for area in entry.get("areas", [])]
        initial["version"] = version
        self.term_names = term_names
        self.area_names = dict(area_choices)
        self.term_groups = term_groups
        term_choices = [choice for _group, choices in term_groups for choice in choices]
        self.form = ServiceEntryForm(
            data, initial=initial, term_choices=term_choices, area_choices=area_choices
        )
        self.places = PlaceFormSet(data, prefix="place", initial=entry.get("locations") or None)
        times = [
            {**item, "days": [c for c in str(item.get("byday", "")).split(",") if c]}
            for item in entry.get("schedules", [])
        ]
        self.times = TimesFormSet(data, prefix="times", initial=times or None)
        self.contacts = ContactFormSet(
            data, prefix="contact", initial=entry.get("contacts") or None
        )

    @property
    def term_sections(self) -> list[dict[str, Any]]:
        """The term checkboxes under their groups' headings, ticked as posted or as live."""
        if self.form.is_bound:
            data = self.form.data
            chosen = set(
                data.getlist("terms") if hasattr(data, "getlist") else data.get("terms", [])
            )
        else:
            chosen = set(self.form.initial.get("terms") or [])
        return [
            {
                "group": group,
                "choices": [
                    {"value": value, "label": label, "checked": value in chosen}
                    for value, label in choices
                ],
            }
            for group, choices in self.term_groups
        ]

    def is_valid(self) -> bool:
        # Every part is checked, so every mistake is shown at once.
        results = [part.is_valid() for part in (self.form, self.places, self.times, self.contacts)]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or any(self.places.errors)
            or any(self.times.errors)
            or any(self.contacts.errors)
            or self.places.non_form_errors()
            or self.times.non_form_errors()
            or self.contacts.non_form_errors()
        )

    def entry(self) -> dict[str, Any]:
        data = self.form.cleaned_data
        found: dict[str, Any] = {
            "shape": entries.SHAPE,
            "kind": "service",
            "name": _words(data["name"]),
            "description": _words(data["description"]),
            "url": data.get("url") or "",
            "email": data.get("email") or "",
            "status": data["status"],
            "fees": _words(data.get("fees")),
            "minimum_age": data.get("minimum_age"),
            "maximum_age": data.get("maximum_age"),
            "terms": [
                {"id": pk, "name": self.term_names.get(pk, "")} for pk in data.get("terms", [])
            ],
            "areas": [
                {"slug": slug, "name": self.area_names.get(slug, "")}
                for slug in data.get("areas", [])
            ],
        }
        found["locations"] = [i for i in (f.item() for f in self.places if f.cleaned_data) if i]
        found["schedules"] = [i for i in (f.item() for f in self.times if f.cleaned_data) if i]
        found["contacts"] = [i for i in (f.item() for f in self.contacts if f.cleaned_data) if i]
        return found


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: put it in the directory"), ("decline", "Do not approve")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="A note for the organisation",
        help_text="Needed if you do not approve it: say what to change, kindly.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not _words(data.get("note")):
            self.add_error("note", "Say why, so the organisation knows what to change.")
        return data


class VersionOnlyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
