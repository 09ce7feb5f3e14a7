"""Pages for conversations, written up with the person, and the organisation's language list."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.core import words
from alongside.core.form_renderer import field_html
from alongside.core.forms import posted_words
from alongside.core.html import text as escaped

from .. import language
from ..forms_conversations import ConversationForm, LanguageWordForm
from ..language import ListedPhrase
from ..models import Conversation, Person, Relationship
from ..selectors.conversations import (
    goal_choices,
    language_list,
    prompt_counts,
    writer_relationship_row,
)
from ..services import conversations as services
from . import led_organisation, organisation_query, part_for, person_for, person_or_404


def language_check(request: HttpRequest, text: str, person: Person) -> dict[str, Any] | None:
    """None to go ahead and save; otherwise the prompt to show (it is counted as offered).
    "Keep my words and save" always goes ahead: the prompt offers, it never blocks."""
    if request.POST.get("keep_words"):
        token = request.POST.get("prompt_token", "")
        services.language_words_kept(actor=request.user, person=person, token=token, text=text)
        return None
    matches = language.find(text, person.organisation)
    if not matches:
        return None
    token = services.language_prompt_offered(actor=request.user, person=person, matches=matches)
    return {"matches": matches, "token": token}


def _render_form(
    request: HttpRequest, person: Person, form: ConversationForm, status: int = 200, **extra: Any
) -> HttpResponse:
    note = bool(extra.get("note"))
    fields = form.fields_html(note=note, goals=[] if note else goal_choices(person.pk))
    context = {"person": person, "form": form, "fields": mark_safe(fields), **extra}  # noqa: S308
    return render(request, "coaching/conversations/form.html", context, status=status)


def date_words(day: date) -> str:
    """ "Thursday 10 December", as the pages write a day."""
    return words.day_words(day, leave_out_year=day.year)


def _saved_message(person: Person, relationship: Relationship | None, note: bool) -> str:
    if note:
        said = f"Note saved: {person.chosen_name} can read it in their own space."
    else:
        said = "Conversation saved."
    if relationship is None:
        return said
    if relationship.last_contact_on:
        said += f" Last in touch: {date_words(relationship.last_contact_on)}."
    if relationship.next_meeting_on:
        said += f" Next meeting: {date_words(relationship.next_meeting_on)}."
    return said


@login_required
@require_http_methods(["GET", "POST"])
def conversation_add(request: HttpRequest, person_id: int) -> HttpResponse:
    """Write up a conversation (or, with ?note=1, send a short note the person reads in their
    own space). Saving moves "last in touch" on and asks when you next meet."""
    person = person_for(request, person_id, policy.Action.PERSON_CHANGE, "conversation add")
    note = (request.POST.get("note") or request.GET.get("note")) == "1"
    relationship = writer_relationship_row(person.pk, request.user)
    mine = relationship is not None and not note
    if request.method == "POST":
        form = ConversationForm(request.POST, person=person, next_meeting=mine, note=note)
        if form.is_valid():
            prompt = language_check(request, form.free_text(), person)
            if prompt is None:
                data = form.cleaned_data
                conversation = services.conversation_create(
                    actor=request.user,
                    person=person,
                    happened_on=data["happened_on"],
                    place=data["place"],
                    notes=data["notes"],
                    reflection=data["reflection"],
                    goals=data["goals"],
                    next_meeting_on=data.get("next_meeting_on"),
                )
                said = _saved_message(person, conversation.relationship, note)
                messages.success(request, said)
                return redirect("coaching:person", person_id=person.pk)
            return _render_form(request, person, form, prompt=prompt, note=note)
    else:
        initial: dict[str, Any] = {}
        if note:
            initial["place"] = "A note"
        if (
            mine
            and relationship.next_meeting_on
            and relationship.next_meeting_on > timezone.localdate()
        ):
            initial["next_meeting_on"] = relationship.next_meeting_on
        form = ConversationForm(person=person, next_meeting=mine, note=note, initial=initial)
    return _render_form(request, person, form, note=note)


@login_required
@require_http_methods(["GET", "POST"])
def conversation_edit(request: HttpRequest, person_id: int, conversation_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    conversation = part_for(
        request,
        person,
        Conversation.objects.all(),
        conversation_id,
        action=policy.Action.PERSON_CHANGE,
        detail="conversation edit",
    )
    extra = {"conversation": conversation}
    if request.method == "POST":
        form = ConversationForm(request.POST, person=person)
        if form.is_valid():
            prompt = language_check(request, form.free_text(), person)
            if prompt is not None:
                return _render_form(request, person, form, prompt=prompt, **extra)
            data = form.cleaned_data
            try:
                services.conversation_update(
                    actor=request.user,
                    conversation=conversation,
                    version=data["version"] or 0,
                    happened_on=data["happened_on"],
                    place=data["place"],
                    notes=data["notes"],
                    reflection=data["reflection"],
                    goals=data["goals"],
                )
            except services.ConversationConflictError as conflict:
                # Lose nothing: show their version, keep what this writer typed, and let
                # a second save knowingly replace theirs.
                posted = request.POST.copy()
                posted["version"] = str(conflict.current.version)
                posted.pop("keep_words", None)
                form = ConversationForm(posted, person=person)
                form.is_valid()
                return _render_form(
                    request, person, form, status=409, theirs=conflict.current, **extra
                )
            messages.success(request, "Conversation saved.")
            return redirect("coaching:person", person_id=person.pk)
    else:
        form = ConversationForm(
            person=person,
            initial={
                "happened_on": conversation.happened_on,
                "place": conversation.place,
                "notes": conversation.notes,
                "reflection": conversation.reflection,
                "goals": list(conversation.goals.all()),
                "version": conversation.version,
            },
        )
    return _render_form(request, person, form, **extra)


@login_required
@require_http_methods(["GET", "POST"])
def language_words(request: HttpRequest) -> HttpResponse:
    organisation, led = led_organisation(request, "language list")
    back = reverse("coaching:language_words") + organisation_query(organisation, led)
    form = LanguageWordForm()
    if request.method == "POST":
        if request.POST.get("switch"):
            phrase = posted_words(request.POST.get("phrase"), max_length=80)
            if phrase.strip():
                active = request.POST.get("switch") == "on"
                services.language_word_set_active(
                    actor=request.user, organisation=organisation, phrase=phrase, active=active
                )
                messages.success(
                    request, f"\u201c{phrase}\u201d switched {'on' if active else 'off'}."
                )
            return redirect(back)
        form = LanguageWordForm(request.POST)
        if form.is_valid():
            services.language_word_add(
                actor=request.user,
                organisation=organisation,
                phrase=form.cleaned_data["phrase"],
                suggestion=form.cleaned_data["suggestion"],
            )
            messages.success(request, "Phrase added to the list.")
            return redirect(back)
    # One token for the page, written into every row's form and read by the template's own
    # {% csrf_token %} from the context (masking a token afresh costs about 500 calls).
    token = get_token(request)
    phrases = language_list(organisation.pk)
    word_fields = f"{field_html(form['phrase'])}\n  {field_html(form['suggestion'])}"
    return render(
        request,
        "coaching/language/words.html",
        {
            "organisation": organisation,
            "led": led,
            "form": form,
            "csrf_token": token,
            # Escaped parts only (see phrase_rows and field_html).
            "phrase_rows": mark_safe(phrase_rows(phrases, token)),  # noqa: S308
            "word_fields": mark_safe(word_fields),  # noqa: S308
            "counts": prompt_counts(organisation.pk),
        },
    )


def phrase_rows(phrases: list[ListedPhrase], token: str) -> str:
    """The language list's rows as the template wrote them, each with its switch's form:
    written here, the template's two dozen lookups a row cost more than the rest of the
    page."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(token)}">'
    written = []
    for listed in phrases:
        phrase = escaped(listed.phrase)
        ours = "" if listed.is_default else ' <span class="muted">(ours)</span>'
        button = '<button type="submit" class="button button-secondary" name="switch"'
        named = f'<span class="visually-hidden"> \u201c{phrase}\u201d</span></button>'
        if listed.active:
            switch = (
                f'<span class="status">On</span> {button} value="off">Switch off{named}\n        '
            )
        else:
            switch = f'<span class="status">Off</span> {button} value="on">Switch on{named}'
        written.append(
            f"\n  <tr>\n    <td>{phrase}{ours}</td>\n    <td>{escaped(listed.suggestion)}</td>\n"
            f'    <td>\n      <form method="post" class="inline-form">\n        {csrf}\n'
            f'        <input type="hidden" name="phrase" value="{phrase}">\n'
            f"        {switch}\n      </form>\n    </td>\n  </tr>\n  "
        )
    return "".join(written)


urlpatterns: list[URLPattern] = [
    path("<int:person_id>/conversations/add/", conversation_add, name="conversation_add"),
    path(
        "<int:person_id>/conversations/<int:conversation_id>/edit/",
        conversation_edit,
        name="conversation_edit",
    ),
    path("language/", language_words, name="language_words"),
]
