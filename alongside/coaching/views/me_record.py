"""The person's own space (issue 4): their whole record, and the parts that are theirs to
change. Every page here works only on the signed-in person's own record: there is no
person id in these URLs to change. The one page for staff is deciding a correction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy

from .. import instruments
from ..forms_checkins import CheckInForm
from ..forms_me import (
    AskToCorrectForm,
    DecideCorrectionForm,
    MyGoalForm,
    MyReflectionForm,
    MyStepForm,
    MyStrengthForm,
)
from ..models import Conversation, CorrectionRequest, Goal, Person
from ..selectors import corrections as correction_selectors
from ..selectors import me as selectors
from ..services import checkins as checkin_services
from ..services import corrections as correction_services
from ..services import goals as goal_services
from ..services import strengths as strength_services

VIEW = policy.Action.PERSON_VIEW
CHANGE = policy.Action.PERSON_CHANGE
SELF = policy.Action.PERSON_SELF


def me(request: HttpRequest, action: policy.Action, detail: str) -> Person:
    """The signed-in person's own record, allowed and audited; staff have no /me/."""
    person = getattr(request.user, "person", None)
    if person is None:
        policy.record_denied(request, f"my space {detail}")
    policy.authorize(request, action, person, detail=f"my space {detail}")
    return person


def _my_goal(person: Person, goal_id: int) -> Goal:
    return get_object_or_404(
        Goal.objects.prefetch_related("steps").select_related("suggested_by", "person"),
        pk=goal_id,
        person=person,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = me(request, VIEW, "home")
    return render(request, "me/home.html", selectors.home(person))


@login_required
def record(request: HttpRequest) -> HttpResponse:
    person = me(request, VIEW, "everything")
    return render(request, "me/record.html", selectors.everything(person))


@login_required
@require_http_methods(["GET", "POST"])
def goal_add(request: HttpRequest) -> HttpResponse:
    person = me(request, CHANGE, "goal add")
    form = MyGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        goal = goal_services.goal_create(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, "Your goal is saved.")
        return redirect("me:goal", goal_id=goal.pk)
    return render(request, "me/goal_form.html", {"form": form, "goal": None})


@login_required
@require_http_methods(["GET", "POST"])
def goal(request: HttpRequest, goal_id: int) -> HttpResponse:
    """One goal with its steps; adding a step posts here."""
    person = me(request, VIEW, "goal")
    the_goal = _my_goal(person, goal_id)
    form = MyStepForm(request.POST or None)
    status = 200
    if request.method == "POST":
        me(request, CHANGE, "goal step add")
        if form.is_valid():
            goal_services.goal_step_add(
                actor=request.user, goal=the_goal, words=form.cleaned_data["words"]
            )
            messages.success(request, "Step added.")
            return redirect("me:goal", goal_id=the_goal.pk)
        status = 400
    return render(
        request,
        "me/goal.html",
        {"goal": the_goal, "form": form, "person": person, "today": timezone.localdate()},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    person = me(request, CHANGE, "goal edit")
    the_goal = _my_goal(person, goal_id)
    initial = {
        "words": the_goal.words,
        "why_it_matters": the_goal.why_it_matters,
        "hoped_by": the_goal.hoped_by,
    }
    form = MyGoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        goal_services.goal_update(actor=request.user, goal=the_goal, **form.cleaned_data)
        messages.success(request, "Your goal is changed.")
        return redirect("me:goal", goal_id=the_goal.pk)
    return render(request, "me/goal_form.html", {"form": form, "goal": the_goal})


@login_required
@require_POST
def goal_accept(request: HttpRequest, goal_id: int) -> HttpResponse:
    person = me(request, CHANGE, "goal accept")
    goal_services.goal_accept(actor=request.user, goal=_my_goal(person, goal_id))
    messages.success(request, "This goal is yours now.")
    return redirect("me:goal", goal_id=goal_id)


@login_required
@require_POST
def goal_decline(request: HttpRequest, goal_id: int) -> HttpResponse:
    person = me(request, CHANGE, "goal decline")
    the_goal = _my_goal(person, goal_id)
    if not the_goal.is_suggestion:
        raise Http404("Not a suggestion")
    correction_services.goal_decline(actor=request.user, goal=the_goal)
    messages.success(request, "Okay. That goal is not on your list.")
    return redirect("me:home")


def _back(request: HttpRequest, the_goal: Goal) -> str:
    """Back to the page the button was on: their home, or the goal's own page. Only these
    two, so no address from the form is ever followed."""
    if request.POST.get("back") == "home":
        return reverse("me:home") + f"#goal-{the_goal.pk}"
    return reverse("me:goal", kwargs={"goal_id": the_goal.pk})


@login_required
@require_POST
def goal_step_tick(request: HttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    """Tick one of their own steps done, or say it is not done yet (done=0)."""
    person = me(request, SELF, "goal step tick")
    the_goal = _my_goal(person, goal_id)
    step = get_object_or_404(the_goal.steps.all(), pk=step_id)
    done = request.POST.get("done") != "0"
    try:
        goal_services.goal_step_tick(actor=request.user, step=step, done=done)
    except goal_services.GoalChangedError as changed:
        # Someone else got there first: their tick (and its day) stays as it is.
        current = changed.current
        if current.done_on:
            messages.info(
                request,
                f"This step was already ticked done on {current.done_on:%A} "
                f"{current.done_on.day} {current.done_on:%B}. Nothing else changed.",
            )
        else:
            messages.info(request, "This step was already marked as not done yet.")
    else:
        messages.success(request, "Step done. Nice one." if done else "Okay: not done yet.")
    return redirect(_back(request, the_goal))


@login_required
@require_POST
def goal_achieved(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Mark one of their own goals achieved, from where their page showed it to be."""
    person = me(request, SELF, "goal achieved")
    the_goal = _my_goal(person, goal_id)
    seen = request.POST.get("seen", "")
    if the_goal.is_suggestion or seen not in Goal.Status.values:
        raise Http404("Not a goal that can be marked achieved here")
    if seen == Goal.Status.ACHIEVED or the_goal.status == Goal.Status.ACHIEVED:
        messages.info(request, "This goal is already achieved.")
        return redirect(_back(request, the_goal))
    try:
        goal_services.goal_achieve(actor=request.user, goal=the_goal, seen_status=seen)
    except goal_services.GoalChangedError as changed:
        current = changed.current
        if current.status == Goal.Status.ACHIEVED:
            messages.info(request, "This goal is already achieved.")
            return redirect(_back(request, the_goal))
        # It moved while they were looking: show where it is now and let them choose again.
        return render(
            request,
            "me/goal_changed.html",
            {"goal": current, "seen": Goal.Status(seen).label, "person": person},
            status=409,
        )
    messages.success(request, "Achieved! Well done. That is something to be proud of.")
    return redirect(_back(request, the_goal))


@login_required
@require_http_methods(["GET", "POST"])
def strength_add(request: HttpRequest) -> HttpResponse:
    person = me(request, CHANGE, "strength add")
    form = MyStrengthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        strength_services.strength_create(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, "Strength added.")
        return redirect(reverse("me:record") + "#strengths")
    return render(request, "me/strength_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reflection(request: HttpRequest, conversation_id: int) -> HttpResponse:
    person = me(request, CHANGE, "reflection")
    talk = get_object_or_404(Conversation, pk=conversation_id, person=person)
    initial = {"reflection": talk.reflection, "version": talk.version}
    form = MyReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        from ..services.conversations import ConversationConflictError, conversation_update

        try:
            conversation_update(
                actor=request.user,
                conversation=talk,
                version=form.cleaned_data["version"] or talk.version,
                happened_on=talk.happened_on,
                place=talk.place,
                notes=talk.notes,
                reflection=form.cleaned_data["reflection"],
                goals=list(talk.goals.all()),
            )
        except ConversationConflictError as conflict:
            # Their words stay in the form; saving again now keeps the other change too.
            posted = request.POST.copy()
            posted["version"] = str(conflict.current.version)
            form = MyReflectionForm(posted)
            form.is_valid()
            context = {"form": form, "talk": conflict.current, "conflict": True}
            return render(request, "me/reflection_form.html", context, status=409)
        messages.success(request, "Your thoughts are saved.")
        return redirect(reverse("me:record") + "#talks")
    return render(request, "me/reflection_form.html", {"form": form, "talk": talk})


@login_required
@require_http_methods(["GET", "POST"])
def checkin_add(request: HttpRequest) -> HttpResponse:
    person = me(request, CHANGE, "check-in")
    available = instruments.available(person.organisation)
    keys = list(dict.fromkeys(d.key for d in available))
    key = request.GET.get("instrument", "") or (keys[0] if keys else "")
    definition = instruments.latest(available, key)
    if definition is None:
        raise Http404("No such check-in")
    form = CheckInForm(request.POST or None, definition=definition)
    if request.method == "POST" and form.is_valid():
        try:
            checkin_services.checkin_record(
                actor=request.user,
                person=person,
                instrument=definition,
                answers=form.answers(),
                taken_on=form.cleaned_data["taken_on"],
            )
        except ValidationError as error:
            for problem in error.messages:
                form.add_error(None, problem)
        else:
            messages.success(request, "Check-in saved. Thank you.")
            return redirect(reverse("me:record") + "#check-ins")
    choices = [instruments.latest(available, k) for k in keys]
    return render(
        request,
        "me/checkin_form.html",
        {"form": form, "definition": definition, "choices": choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def correction_ask(
    request: HttpRequest, about_type: str, about_id: int, field_name: str
) -> HttpResponse:
    person = me(request, CHANGE, "correction ask")
    try:
        subject = correction_selectors.find_subject(person, about_type, about_id, field_name)
    except LookupError as error:
        raise Http404(str(error)) from error
    form = AskToCorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        correction_services.correction_ask(
            actor=request.user,
            person=person,
            about_type=about_type,
            about_id=about_id,
            field_name=field_name,
            **form.cleaned_data,
        )
        messages.success(request, "Thank you. Your coach will look at what you asked.")
        return redirect("me:home")
    return render(
        request,
        "me/correction_ask.html",
        {"form": form, "as_written": getattr(subject, field_name)},
    )


def _already_decided(request: HttpRequest, correction: CorrectionRequest) -> HttpResponse:
    """Someone answered this request first: say who and what; nothing of this answer is kept."""
    return render(
        request,
        "me/correction_already_decided.html",
        {"correction": correction, "person": correction.person},
        status=409,
    )


@login_required
@require_http_methods(["GET", "POST"])
def correction_decide(request: HttpRequest, correction_id: int) -> HttpResponse:
    """For a coach or lead: the person asked to correct something. Both versions show."""
    correction = get_object_or_404(
        CorrectionRequest.objects.select_related("person__organisation", "person__user"),
        pk=correction_id,
    )
    person = correction.person
    if not policy.can(request.user, policy.Action.PERSON_STAFF_CHANGE, person):
        policy.record_denied(request, "correction decide")
    policy.authorize(request, VIEW, person, detail="correction")
    form = DecideCorrectionForm(request.POST or None)
    decided = correction.status != CorrectionRequest.Status.ASKED
    if request.method == "POST" and decided:
        return _already_decided(request, correction)
    if request.method == "POST" and form.is_valid():
        try:
            correction_services.correction_decide(
                actor=request.user,
                correction=correction,
                accept=form.cleaned_data["accept"],
                reply=form.cleaned_data["reply"],
            )
        except correction_services.CorrectionAlreadyDecidedError as first:
            # Someone else answered between this page loading and this save.
            return _already_decided(request, first.correction)
        messages.success(request, "Saved. They will see your answer in their space.")
        return redirect("me:correction_decide", correction_id=correction.pk)
    return render(
        request,
        "me/correction_decide.html",
        {"correction": correction, "person": person, "form": form, "decided": decided},
    )


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("record/", record, name="record"),
    path("goals/add/", goal_add, name="goal_add"),
    path("goals/<int:goal_id>/", goal, name="goal"),
    path("goals/<int:goal_id>/edit/", goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/accept/", goal_accept, name="goal_accept"),
    path("goals/<int:goal_id>/decline/", goal_decline, name="goal_decline"),
    path("goals/<int:goal_id>/achieved/", goal_achieved, name="goal_achieved"),
    path("goals/<int:goal_id>/steps/<int:step_id>/done/", goal_step_tick, name="goal_step_tick"),
    path("strengths/add/", strength_add, name="strength_add"),
    path("talks/<int:conversation_id>/my-thoughts/", reflection, name="reflection"),
    path("check-in/", checkin_add, name="checkin_add"),
    path(
        "correct/<slug:about_type>/<int:about_id>/<slug:field_name>/",
        correction_ask,
        name="correction_ask",
    ),
    path("corrections/<int:correction_id>/decide/", correction_decide, name="correction_decide"),
]
