"""The audit trail in words: the one place that turns an audit row (an action, a short
detail, the kind of row it names) into a sentence a lead can read.

    AuditEntry(actor=priya, action="view", detail="budget", person_id=sam.pk)
        → "Priya read Sam's budget"

`PHRASES` is the table: the first line whose action matches and whose detail starts with
the line's words gives the sentence. A row no line matches still reads as a sentence, from
the kind of thing it names (`THINGS`) and what was done to it, never "coaching.goal 301".

A sentence may name:
  {actor}  who did it ("Priya", "Sam", or "Someone" when the trail has no name)
  {whose}  whose record ("Sam's"; "their own" when the person did it themselves)
  {whom}   the person ("Sam"; "themselves" when the person did it themselves)
  {thing}  what the row names ("a goal", "a listening exercise")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alongside.core import words
from alongside.core.models import AuditAction

LONDON = words.LONDON

VIEW = AuditAction.VIEW
CREATE = AuditAction.CREATE
CHANGE = AuditAction.CHANGE
EXPORT = AuditAction.EXPORT
DENIED = AuditAction.DENIED

# The page's own entries: reading and downloading the audit trail is itself audited.
AUDIT_PAGE_DETAIL = "audit trail"
AUDIT_CSV_DETAIL = "audit trail spreadsheet"

# (action, the detail starts with, the sentence). First match wins, so longer details first.
PHRASES: list[tuple[str, str, str]] = [
    # Reading the audit trail itself.
    (VIEW, AUDIT_PAGE_DETAIL, "{actor} read the audit trail"),
    (EXPORT, AUDIT_CSV_DETAIL, "{actor} downloaded the audit trail as a spreadsheet"),
    # Reading a person's record.
    (VIEW, "record", "{actor} opened {whose} record"),
    (VIEW, "budget", "{actor} read {whose} budget"),
    (VIEW, "spend decision", "{actor} opened a spend to decide on, in {whose} budget"),
    (VIEW, "receipt", "{actor} opened a receipt in {whose} budget"),
    (VIEW, "allocation", "{actor} read {whose} budget allocation"),
    (VIEW, "check-in", "{actor} read {whose} check-ins"),
    (VIEW, "safety plan", "{actor} read {whose} safety plan"),
    (VIEW, "goal", "{actor} read a goal in {whose} record"),
    (VIEW, "strengths", "{actor} read {whose} strengths"),
    (VIEW, "my space who has looked", "{actor} read who has looked at {whose} record"),
    (VIEW, "my space choices", "{actor} read {whose} choices"),
    (VIEW, "my space my data", "{actor} opened {whose} data and downloads"),
    (VIEW, "my space erasure", "{actor} opened the page to ask for {whose} record to be erased"),
    (VIEW, "my space", "{actor} read {whose} record"),
    (VIEW, "erasure", "{actor} read a request to erase {whose} record"),
    (VIEW, "contribution", "{actor} read a contribution to a listening exercise"),
    (VIEW, "listening", "{actor} looked at a listening exercise"),
    (VIEW, "contributions", "{actor} looked at a listening exercise's contributions"),
    (VIEW, "themes", "{actor} looked at a listening exercise's themes"),
    (EXPORT, "whole record", "{actor} downloaded {whose} whole record"),
    (EXPORT, "listening", "{actor} downloaded a listening report"),
    # Adding to a person's record.
    (CREATE, "started working together", "{actor} started working with {whom}"),
    (CREATE, "invite code", "{actor} gave {whom} an invite code to sign in"),
    (CREATE, "conversation added", "{actor} wrote up a conversation with {whom}"),
    (CREATE, "goal suggested", "{actor} suggested a goal to {whom}"),
    (CREATE, "goal added", "{actor} added a goal to {whose} record"),
    (CREATE, "step added", "{actor} added a step towards a goal in {whose} record"),
    (CREATE, "strength added", "{actor} added a strength to {whose} record"),
    (CREATE, "milestone added", "{actor} added a milestone to {whose} record"),
    (CREATE, "check-in recorded", "{actor} recorded a check-in in {whose} record"),
    (CREATE, "barrier added", "{actor} noted something that got in the way, in {whose} record"),
    (CREATE, "circle member", "{actor} added someone to {whose} circle"),
    (CREATE, "spend requested", "{actor} asked for a spend from {whose} budget"),
    (CREATE, "payment", "{actor} recorded a payment from {whose} budget"),
    (CREATE, "safety plan", "{actor} saved a new version of {whose} safety plan"),
    (CREATE, "correction asked", "{actor} asked to put something right in {whose} record"),
    (CREATE, "erasure asked", "{actor} asked for {whose} record to be erased"),
    (CREATE, "choice", "{actor} made a choice about {whose} record"),
    (CREATE, "two-factor app", "{actor} added an authenticator app for signing in"),
    (CREATE, "listening exercise started", "{actor} started a listening exercise"),
    (CREATE, "contribution", "{actor} added a contribution to a listening exercise"),
    (CREATE, "import from a", "{actor} brought contributions in from a file"),
    (CREATE, "excerpt", "{actor} coded an excerpt in a listening exercise"),
    (CREATE, "themes suggested", "{actor} asked for themes to be suggested"),
    (CREATE, "milestone kind", "{actor} added a kind of milestone to the organisation's list"),
    (CREATE, "language phrase", "{actor} added a phrase to the language prompt"),
    (CREATE, "instrument loaded", "{actor} loaded a set of check-in questions"),
    # Changing a person's record.
    (CHANGE, "spend approved", "{actor} approved a spend from {whose} budget"),
    (CHANGE, "spend declined", "{actor} said no to a spend from {whose} budget"),
    (CHANGE, "budget allocation", "{actor} changed {whose} budget allocation"),
    (CHANGE, "receipt", "{actor} added a receipt to {whose} budget"),
    (CHANGE, "goal accepted", "{actor} said yes to a goal suggested for {whom}"),
    (CHANGE, "suggested goal declined", "{actor} said no to a goal suggested for {whom}"),
    (CHANGE, "goal status", "{actor} changed how a goal is going, in {whose} record"),
    (CHANGE, "goal", "{actor} changed a goal in {whose} record"),
    (CHANGE, "step done", "{actor} marked a step done in {whose} record"),
    (CHANGE, "step not done", "{actor} marked a step not done yet, in {whose} record"),
    (CHANGE, "conversation", "{actor} changed the notes of a conversation with {whom}"),
    (CHANGE, "relationship", "{actor} changed how they work with {whom}"),
    (CHANGE, "circle member", "{actor} changed someone in {whose} circle"),
    (CHANGE, "barrier", "{actor} changed a note on what got in the way, in {whose} record"),
    (CHANGE, "corrected as asked", "{actor} put something right in {whose} record, as asked"),
    (CHANGE, "correction", "{actor} answered a request to put something right in {whose} record"),
    (CHANGE, "record erased", "{actor} erased {whose} record"),
    (CHANGE, "erasure not done", "{actor} explained why {whose} record was not erased"),
    (CHANGE, "erasure", "{actor} answered a request to erase {whose} record"),
    (CHANGE, "set up sign-in", "{actor} set up {whose} sign-in with an invite code"),
    (CHANGE, "two-factor app confirmed", "{actor} confirmed an authenticator app for signing in"),
    (CHANGE, "report published", "{actor} published a listening report"),
    (CHANGE, "report unpublished", "{actor} took a listening report down"),
    (CHANGE, "report", "{actor} changed a listening report"),
    (CHANGE, "theme", "{actor} changed the themes of a listening exercise"),
    (CHANGE, "excerpt", "{actor} changed a coded excerpt in a listening exercise"),
    (CHANGE, "contribution", "{actor} changed a contribution to a listening exercise"),
    (CHANGE, "exercise", "{actor} changed a listening exercise"),
    (CHANGE, "language", "{actor} changed the language prompt"),
    (CHANGE, "milestone kind", "{actor} changed the organisation's list of milestones"),
    # Signing in and out.
    (AuditAction.SIGN_IN, "", "{actor} signed in"),
    (AuditAction.SIGN_OUT, "signed out everywhere", "{actor} signed out on every device"),
    (AuditAction.SIGN_OUT, "", "{actor} signed out"),
    (AuditAction.SIGN_IN_FAILED, "", "A sign-in as {actor} failed: wrong passphrase or code"),
    # Refusals: the detail is the policy's action, then the page's own note.
    (DENIED, "safety plan not shared", "{actor} was stopped: {whose} safety plan is not shared"),
    (DENIED, "audit.view", "{actor} was stopped from reading the audit trail"),
    (DENIED, "audit trail", "{actor} was stopped from reading the audit trail"),
    (DENIED, "person.view", "{actor} was stopped from opening {whose} record"),
    (DENIED, "person.export", "{actor} was stopped from downloading {whose} record"),
    (DENIED, "person.invite", "{actor} was stopped from giving {whom} an invite code"),
    (DENIED, "person.", "{actor} was stopped from changing {whose} record"),
    (DENIED, "safety_plan.view", "{actor} was stopped from reading {whose} safety plan"),
    (DENIED, "spend.decide", "{actor} was stopped from deciding a spend from {whose} budget"),
    (DENIED, "organisation.", "{actor} was stopped from opening a page for leads"),
    (DENIED, "exercise.", "{actor} was stopped from opening a listening exercise"),
    (DENIED, "contribution.", "{actor} was stopped from reading a listening contribution"),
]

# What a row names, by its kind, for the rows no line above matches.
THINGS: dict[str, str] = {
    "coaching.person": "a person's record",
    "coaching.relationship": "a relationship",
    "coaching.conversation": "notes from a conversation",
    "coaching.goal": "a goal",
    "coaching.goalstep": "a step towards a goal",
    "coaching.strength": "a strength",
    "coaching.checkin": "a check-in",
    "coaching.milestone": "a milestone",
    "coaching.milestonekind": "a kind of milestone",
    "coaching.spendrequest": "a spend",
    "coaching.payment": "a payment",
    "coaching.safetyplan": "a safety plan",
    "coaching.circlemember": "someone in a circle",
    "coaching.barrier": "something that got in the way",
    "coaching.consentevent": "a choice",
    "coaching.correctionrequest": "a request to put something right",
    "coaching.erasurerequest": "a request to erase a record",
    "coaching.languageword": "a phrase in the language prompt",
    "coaching.instrument": "a set of check-in questions",
    "listening.exercise": "a listening exercise",
    "listening.contribution": "a contribution to a listening exercise",
    "listening.theme": "a theme",
    "listening.report": "a listening report",
    "accounts.user": "a sign-in",
    "accounts.organisation": "the organisation's pages",
    "otp_totp.totpdevice": "an authenticator app",
}

# Each action's words when nothing more is known: (with a person, without one).
FALLBACK: dict[str, tuple[str, str]] = {
    VIEW: ("{actor} read {whose} record", "{actor} looked at {thing}"),
    CREATE: ("{actor} added {thing} to {whose} record", "{actor} added {thing}"),
    CHANGE: ("{actor} changed {thing} in {whose} record", "{actor} changed {thing}"),
    EXPORT: ("{actor} downloaded {whose} record", "{actor} downloaded {thing}"),
    DENIED: ("{actor} was stopped from opening {whose} record", "{actor} was stopped"),
    AuditAction.SIGN_IN: ("{actor} signed in", "{actor} signed in"),
    AuditAction.SIGN_OUT: ("{actor} signed out", "{actor} signed out"),
    AuditAction.SIGN_IN_FAILED: ("A sign-in failed", "A sign-in failed"),
}
SOMEONE = "Someone"
A_PERSON = "a person"

# The kinds of action a lead filters by: (key, label, the audit actions it covers).
KINDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("read", "Reading a record or page", (VIEW,)),
    ("added", "Adding something", (CREATE,)),
    ("changed", "Changing something", (CHANGE,)),
    ("downloaded", "Downloading", (EXPORT,)),
    ("stopped", "Stopped: not allowed", (DENIED,)),
    (
        "sign-in",
        "Signing in and out",
        (AuditAction.SIGN_IN, AuditAction.SIGN_OUT, AuditAction.SIGN_IN_FAILED),
    ),
]
KIND_LABELS = {action: label for _key, label, actions in KINDS for action in actions}
SOMETHING_ELSE = "Something else"


@dataclass(frozen=True)
class Names:
    """The names a row's sentence needs, looked up once for a page of rows."""

    actor: str  # "Priya", "Sam", or "" when the trail has no name
    person: str  # "Sam", or "" when the row names nobody's record
    actor_is_the_person: bool = False
    person_erased: bool = False  # the record was erased: its name is gone


def sentence(action: str, detail: str, object_type: str, names: Names) -> str:
    """One audit row as a sentence: "Priya read Sam's budget"."""
    template = _template(action, detail, has_person=bool(names.person or names.person_erased))
    if names.actor_is_the_person:
        whose, whom = "their own", "themselves"
    elif names.person_erased:
        whose, whom = "an erased person's", "an erased person"
    else:
        person = names.person or A_PERSON
        whose, whom = possessive(person), person
    text = template.format(
        actor=names.actor or SOMEONE,
        whose=whose,
        whom=whom,
        thing=THINGS.get(object_type, "something"),
    )
    return text[:1].upper() + text[1:]


def _template(action: str, detail: str, *, has_person: bool) -> str:
    for line_action, starts, template in PHRASES:
        if line_action == action and detail.startswith(starts):
            return template
    with_person, without = FALLBACK.get(action, ("{actor} used {whose} record", "{actor} acted"))
    return with_person if has_person else without


def possessive(name: str) -> str:
    """ "Sam" → "Sam's"; "a person" → "a person's"."""
    return f"{name}'" if name.endswith("'") else f"{name}'s"


def kind_words(action: str) -> str:
    return KIND_LABELS.get(action, SOMETHING_ELSE)


# --- dates in words, in UK time -------------------------------------------------------------


def when_words(moment: datetime, *, this_year: int | None = None) -> str:
    """A moment in UK time: "Tuesday 1 December, 10:04"; the year is added when it is not
    this year ("Monday 2 December 2024, 09:15")."""
    year = this_year if this_year is not None else words.this_year()
    return words.when_words(moment, leave_out_year=year)
