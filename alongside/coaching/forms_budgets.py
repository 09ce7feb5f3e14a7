"""Forms for personal budgets. Amounts are typed in pounds and kept as pence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from alongside.core.forms import DateInput
from alongside.core.money import parse_pounds

from .models import Goal, Person
from .receipts import RECEIPT_MAX_BYTES, receipt_check


class PoundsField(forms.CharField):
    """Typed as '£300', '300' or '12.50'; cleaned to whole pence."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> int | None:
        value = super().clean(value)
        if value in (None, ""):
            return None
        return parse_pounds(value)


class SpendRequestForm(forms.Form):
    what_for = forms.CharField(
        label="What is it for?",
        max_length=300,
        help_text="For example: forklift licence course.",
    )
    amount = PoundsField(label="How much?", help_text="In pounds, for example 300 or 12.50.")
    category = forms.CharField(
        label="What kind of spend is it? (optional)",
        max_length=60,
        required=False,
        help_text="One or two words, for example training, home or travel.",
    )
    goal = forms.ModelChoiceField(
        label="Which goal does it help with? (optional)",
        queryset=Goal.objects.none(),
        required=False,
        empty_label="Not tied to a goal",
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = person.goals.exclude(
            status=Goal.Status.CHANGED_MY_MIND
        ).order_by("-created_at")
        self.fields["goal"].label_from_instance = lambda goal: goal.words


class DeclineForm(forms.Form):
    note = forms.CharField(
        label="Why not? (the person will read this)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Say what could happen instead, if anything.",
    )


class PaymentForm(forms.Form):
    amount = PoundsField(label="How much was paid?", help_text="In pounds, for example 299.99.")
    paid_on = forms.DateField(
        label="When was it paid?",
        initial=timezone.localdate,
        widget=DateInput(),
    )
    receipt = forms.FileField(
        label="Receipt (optional)",
        required=False,
        help_text="A PDF, JPEG photo or PNG image, smaller than 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_receipt(self) -> Any:
        receipt = self.cleaned_data.get("receipt")
        if receipt:
            if receipt.size > RECEIPT_MAX_BYTES:
                raise forms.ValidationError("The receipt must be smaller than 5 MB.")
            receipt_check(receipt)
        return receipt


class AllocationForm(forms.Form):
    amount = PoundsField(
        label="This person's budget",
        required=False,
        help_text="In pounds. Leave empty to use the organisation's usual amount.",
    )
