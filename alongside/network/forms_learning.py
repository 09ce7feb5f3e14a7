"""Forms for events, resources and news (issue 15, item 4). Each re-shows what was typed; the
services check everything again, so a form is for clear messages, never the only guard."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from alongside.core.forms import DateInput
from alongside.core.templatetags.alongside import safe_link

from .models import Resource
from .resource_uploads import DocumentProblemError, check_document


def _text(value: str) -> str:
    return value.replace("\x00", "").strip()


class TimeInput(forms.TimeInput):
    """The browser's own time picker (24-hour "10:30")."""

    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def set_networks(form: forms.Form, networks: list[Any]) -> None:
    """A choice of network, asked only of someone in more than one."""
    field = form.fields["network"]
    assert isinstance(field, forms.TypedChoiceField)
    field.choices = [(n.pk, n.name) for n in networks]
    if len(networks) <= 1:
        field.widget = forms.HiddenInput()
        if networks:
            form.initial.setdefault("network", networks[0].pk)


HOW = [("online", "Online"), ("in_person", "In person")]


class EventForm(forms.Form):
    network = forms.TypedChoiceField(label="Network", coerce=int, choices=())
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Give the event a title."},
    )
    description = forms.CharField(
        label="What it is about",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Anyone can read this in the network's calendar: leave out anything private.",
    )
    day = forms.DateField(
        label="Day",
        widget=DateInput(),
        error_messages={"required": "Give the day.", "invalid": "Give the day as a date."},
    )
    starts = forms.TimeField(
        label="Starts at",
        widget=TimeInput(),
        help_text="UK time, for example 10:00.",
        error_messages={"required": "Give the time it starts.", "invalid": "Give a time."},
    )
    ends = forms.TimeField(
        label="Ends at",
        widget=TimeInput(),
        error_messages={"required": "Give the time it ends.", "invalid": "Give a time."},
    )
    how = forms.ChoiceField(
        label="Where is it?",
        choices=HOW,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether it is online or in person."},
    )
    join_url = forms.CharField(
        label="Link to join (if online)",
        required=False,
        max_length=500,
        help_text="Only people with a place see it.",
    )
    place_name = forms.CharField(label="Place (if in person)", required=False, max_length=200)
    address = forms.CharField(
        label="Address (if in person)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=20)
    capacity = forms.IntegerField(
        label="How many places?",
        required=False,
        min_value=1,
        max_value=100000,
        help_text="Leave blank for no limit. When it is full, people join a waiting list.",
    )
    # The version this edit started from: an edit from an older page is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, networks: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_networks(self, networks or [])

    def clean_title(self) -> str:
        title = _text(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("Give the event a title.")
        return title

    def clean_join_url(self) -> str:
        url = _text(self.cleaned_data["join_url"])
        if url and not safe_link(url):
            raise forms.ValidationError("Give a web address starting https://.")
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day and isinstance(starts, time) and isinstance(ends, time):
            zone = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.combine(day, starts), zone)
            data["ends_at"] = timezone.make_aware(datetime.combine(day, ends), zone)
            if ends <= starts:
                self.add_error("ends", "It must end after it starts.")
        how = data.get("how")
        if how == "online" and not data.get("join_url") and "join_url" not in self.errors:
            self.add_error("join_url", "Give the link to join.")
        if how == "in_person":
            if not _text(data.get("place_name") or ""):
                self.add_error("place_name", "Say where it is.")
            if not _text(data.get("address") or ""):
                self.add_error("address", "Give the address.")
        return data


class CancelEventForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ResourceForm(forms.Form):
    network = forms.TypedChoiceField(label="Network", coerce=int, choices=())
    kind = forms.ChoiceField(
        label="What are you adding?",
        choices=Resource.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a document, a link or a write-up."},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give it a title."}
    )
    summary = forms.CharField(
        label="In a sentence or two, what is it?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    upload = forms.FileField(
        label="The document (if a document)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.txt"}),
        help_text="A PDF, Word (.docx), OpenDocument (.odt) or plain text (.txt) file, "
        "at most 10 MB.",
    )
    url = forms.CharField(
        label="The web address (if a link)",
        required=False,
        max_length=500,
        help_text="Starting https://",
    )
    body = forms.CharField(
        label="The write-up (if a write-up)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Leave a blank line between paragraphs. Leave out anyone's name.",
    )

    def __init__(self, *args: Any, networks: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_networks(self, networks or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Resource.Kind.DOCUMENT:
            upload = data.get("upload")
            if not upload:
                self.add_error("upload", "Choose the document to add.")
            else:
                try:
                    check_document(upload)
                except DocumentProblemError as problem:
                    self.add_error("upload", str(problem))
        elif kind == Resource.Kind.LINK:
            if not safe_link(_text(data.get("url") or "")):
                self.add_error("url", "Give a web address starting https:// (or http://).")
        elif kind == Resource.Kind.WRITE_UP and not _text(data.get("body") or ""):
            self.add_error("body", "Write the write-up.")
        return data


class ResourceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Everything"), *Resource.Kind.choices],
    )
    words = forms.CharField(label="Words", required=False, max_length=200)


class NewsForm(forms.Form):
    network = forms.TypedChoiceField(label="Network", coerce=int, choices=())
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the news a title."}
    )
    body = forms.CharField(
        label="The news",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Leave a blank line between paragraphs.",
        error_messages={"required": "Write the news."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, networks: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_networks(self, networks or [])
