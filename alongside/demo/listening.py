"""A listening exercise for the demo: one open question and about forty things people
said, heard on the street, by phone, by email, on WhatsApp, in letters and in groups.

    from alongside.demo.listening import seed_listening
    exercise = seed_listening(organisation, team=[kofi, morag], rng=random.Random(seed))

Everything here is invented; phone numbers are from Ofcom's drama range and email
addresses use example.org. Some contributions carry a planted name, number or address so
the demo shows redaction at work: each is taken out by the same code that runs at
capture, and every contribution has been checked. Seeding is not something a user did,
so it writes no audit entries. Deterministic for a given `rng`; running it again replaces
the demo exercise.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import transaction

from alongside.accounts.models import Organisation
from alongside.listening.building import (
    ContributionFields,
    build,
    merge_team_span,
    occurrences,
    redacted,
    save_built,
    set_redacted_text,
)
from alongside.listening.models import Channel, Contribution, Exercise, Redaction
from alongside.listening.services.exercises import DEFAULT_CONSENT_SCRIPT

TITLE = "Asking for help in Northfield"
QUESTION = "What's it like when you need help in Northfield?"
STARTS_ON = date(2026, 9, 1)
ENDS_ON = date(2026, 10, 16)
NAMES_TO_REDACT = "Kev\nMarcia\nDr Okafor\nBernie\nJordan\nAunty Pat"
# What a person checking would take out whatever the engine finds: (words, kind of detail).
PLANTED = [
    ("07700 900412", "phone"),
    ("07700 900871", "phone"),
    ("sharon.w@example.org", "email"),
    ("14 Station Road", "address"),
    *[(name, "name") for name in NAMES_TO_REDACT.splitlines()],
]

C = Channel
# (channel, place, what they said, credit name, credit place, consent, content warnings)
VOICES: list[tuple[str, str, str, str, str, bool, str]] = [
    (
        C.FACE_TO_FACE,
        "Market Square",
        "You tell your story to one desk, then the next desk, then the next. By the fourth "
        "time I was leaving bits out because I was sick of hearing it myself.",
        "Dee",
        "Market Square",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "the bus station",
        "Honestly the best help I had was a woman at the library who let me charge my phone "
        "every morning and never once asked why.",
        "",
        "",
        True,
        "",
    ),
    (
        C.PHONE,
        "Canal Street",
        "They gave me a number to ring, 07700 900412, and it rang out every single day for "
        "two weeks. When someone finally picked up they said I'd been closed for not ringing.",
        "Ash",
        "Canal Street",
        True,
        "",
    ),
    (
        C.WHATSAPP,
        "Queensway",
        "I don't do offices. Kev from the outreach van just sat on the wall with me and we "
        "talked about football for a month before I told him anything. That's why it worked.",
        "",
        "",
        True,
        "",
    ),
    (
        C.EMAIL,
        "Northfield",
        "I'm writing because I couldn't say this out loud at the meeting. When I left hospital "
        "nobody told the housing people, so I went home to a flat with the heating cut off. "
        "Three weeks in my coat. If anyone wants to talk to me about it my email is "
        "sharon.w@example.org.",
        "",
        "",
        False,
        "illness",
    ),
    (
        C.GROUP,
        "St Anne's drop-in",
        "In the group we all agreed on one thing: the forms. Every form asks what's wrong "
        "with you. Not one of them asks what you're good at.",
        "",
        "St Anne's drop-in",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "Mill Lane food bank",
        "People think you're lazy. I've had three jobs since March. Agency work. Nobody gives "
        "you a letter for that, so on paper I don't exist.",
        "Tomasz",
        "Mill Lane",
        True,
        "",
    ),
    (
        C.LETTER,
        "HMP Northfield",
        "I get out in eleven weeks. I've asked four times who I'll see on the day I leave and "
        "nobody can tell me. Last time I walked out with a bin bag and a travel warrant and "
        "that was it. I don't want to end up back here.",
        "",
        "",
        True,
        "prison",
    ),
    (
        C.SOCIAL_MEDIA,
        "Northfield",
        "the council website sends you round in circles, every link goes back to the same "
        "page. gave up and went to A&E because at least someone there talks to you",
        "",
        "",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "Riverside",
        "Marcia at the hostel kept my post for me for a year. Sounds small. It meant I didn't "
        "lose my benefits when I moved about. That woman deserves a medal.",
        "Jay",
        "Riverside",
        True,
        "",
    ),
    (
        C.PHONE,
        "Northfield",
        "When my son was taken into care I stopped answering the door to anyone with a "
        "lanyard. I know they're not all the same. It took me a long time to believe that.",
        "",
        "",
        False,
        "children's social care, grief",
    ),
    (
        C.GROUP,
        "Northfield Library",
        "Young people in our group said the same: you turn eighteen and it's like falling "
        "off a cliff. One day you've got a worker, the next day you've got a leaflet.",
        "",
        "Northfield Library",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "Market Square",
        "I was sleeping in the car park behind the old cinema. A lad from the church brought "
        "me a coffee and asked my name. First time in weeks anyone had asked my name.",
        "Robbie",
        "Market Square",
        True,
        "rough sleeping",
    ),
    (
        C.WHATSAPP,
        "Canal Street",
        "my support worker changed 5 times in a year. every time you start from scratch. i "
        "stopped bothering to learn their names tbh",
        "",
        "",
        True,
        "",
    ),
    (
        C.EMAIL,
        "Northfield",
        "As a volunteer I see it from the other side. We're told to signpost. Signposting "
        "means handing someone a phone number and hoping. Please can we stop calling that "
        "help. Any questions, call me on 07700 900871.",
        "A volunteer",
        "Northfield",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "the bus station",
        "My mental health worker is lovely but she's only allowed to talk about my mental "
        "health. I can't pay my gas. That's why I'm not sleeping. She says that's not her "
        "area.",
        "",
        "",
        True,
        "mental health",
    ),
    (
        C.PHONE,
        "Queensway",
        "Dr Okafor was the only one who rang me back herself. Didn't pass me on. Just said "
        "right, let's sort this, and we did.",
        "Pam",
        "Queensway",
        True,
        "",
    ),
    (
        C.LETTER,
        "Northfield",
        "I am 71 and I do not have the internet. Everything now says go online. I have "
        "written this letter instead and I hope somebody reads it.",
        "Mr H",
        "Northfield",
        True,
        "",
    ),
    (
        C.GROUP,
        "St Anne's drop-in",
        "We talked about being judged. One woman said the receptionist looked at her shoes "
        "before she looked at her face. Everyone in the room knew exactly what she meant.",
        "",
        "St Anne's drop-in",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "Mill Lane food bank",
        "I was told I had to be off the drink before they'd help with housing, and I was told "
        "I had to have housing before they'd help with the drink. So which one first?",
        "",
        "",
        True,
        "alcohol",
    ),
    (
        C.SOCIAL_MEDIA,
        "Northfield",
        "shout out to the lads at the boxing club on Dock Road. they don't care where you've "
        "been. you turn up, you train, you're one of them",
        "Lee",
        "Dock Road",
        True,
        "",
    ),
    (
        C.WHATSAPP,
        "Riverside",
        "I'm scared to say too much. What if it goes on a file somewhere and follows me "
        "about? Is this going on a file?",
        "",
        "",
        False,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "Queensway",
        "Jordan from the youth project took me to look round the college. Didn't fill in a "
        "thing for me, just came with me. I start in January.",
        "Kayla",
        "Queensway",
        True,
        "",
    ),
    (
        C.PHONE,
        "Canal Street",
        "The appointment letter came to my old address at 14 Station Road, so I missed it, "
        "so they said I didn't engage. I didn't even know it existed.",
        "",
        "",
        True,
        "",
    ),
    (
        C.EMAIL,
        "Northfield",
        "What helped: being asked what I wanted. What didn't: being told what I needed by "
        "someone who'd known me for twenty minutes.",
        "",
        "",
        True,
        "",
    ),
    (
        C.GROUP,
        "Northfield Library",
        "Parents in the group said the waiting is the worst bit. Eighteen months for an "
        "assessment. You stop being a parent and start being a campaigner.",
        "",
        "Northfield Library",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "Market Square",
        "Bernie lets me use the back room at the café to do my forms. Quiet, kettle on, nobody "
        "rushing me. I'd do anything for that woman.",
        "",
        "",
        True,
        "",
    ),
    (
        C.LETTER,
        "HMP Northfield",
        "The best thing in here has been the reading group. I never read a book on the out. "
        "Now I've read nine. I'd like to keep going when I leave but I don't know where.",
        "Craig",
        "Northfield",
        True,
        "prison",
    ),
    (
        C.WHATSAPP,
        "Queensway",
        "Every service wants you to come to them, at their time, in their building. My kids "
        "finish school at 3. Half the drop-ins close at 2.",
        "",
        "",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "Riverside",
        "When I was using, the only people who never gave up on me were the needle exchange. "
        "Not once did they make me feel like rubbish.",
        "",
        "",
        True,
        "drug use",
    ),
    (
        C.PHONE,
        "Northfield",
        "I rang to ask about my housing bid and was on hold for fifty minutes. Then it cut "
        "off. My credit ran out. That's my week's phone money gone on hold music.",
        "Sue",
        "Northfield",
        True,
        "",
    ),
    (
        C.SOCIAL_MEDIA,
        "Northfield",
        "my nan (Aunty Pat to everyone on our street) fed half the estate during lockdown. "
        "nobody funded her. she just did it. that's what help looks like round here",
        "",
        "",
        True,
        "",
    ),
    (
        C.GROUP,
        "St Anne's drop-in",
        "A man in the group said: I don't need fixing, I need a hand. Nobody spoke for a bit "
        "after that.",
        "",
        "St Anne's drop-in",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "the bus station",
        "I'm deaf. Nobody books an interpreter unless I ask three times. So I stop asking, "
        "and then they say I don't turn up.",
        "",
        "",
        True,
        "",
    ),
    (
        C.EMAIL,
        "Northfield",
        "I work at the jobcentre and I want to say we are not all box-tickers. We get twelve "
        "minutes a person. Give us an hour and we'd be different people.",
        "",
        "",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "Mill Lane food bank",
        "I didn't want to come in here. I sat outside for three Tuesdays. The fourth one, a "
        "volunteer came out and sat with me on the step. Now I help with the Tuesday shift.",
        "Nadia",
        "Mill Lane",
        True,
        "",
    ),
    (
        C.WHATSAPP,
        "Canal Street",
        "honestly i dont know what i'd say. things are alright now. its the first time in ages "
        "they're alright so i dont want to jinx it",
        "",
        "",
        True,
        "",
    ),
    (
        C.LETTER,
        "Northfield",
        "My wife had dementia. Carers came for fifteen minutes at a time, a different face "
        "every visit. She stopped letting them in. I don't blame her, I'd have done the same.",
        "",
        "",
        True,
        "dementia, bereavement",
    ),
    (
        C.PHONE,
        "Riverside",
        "You ask me what it's like? It's like being a parcel. Passed on, signed for, passed on "
        "again. Nobody opens the box to see what's in it.",
        "Winston",
        "Riverside",
        True,
        "",
    ),
    (
        C.FACE_TO_FACE,
        "Queensway",
        "I want to say something good. The woman at the council tax office set up a plan I "
        "could actually pay. Seven pound a week. She treated me like an adult. Thank you.",
        "",
        "Queensway",
        True,
        "",
    ),
]


def seed_listening(organisation: Organisation, team: Sequence[Any], rng: random.Random) -> Exercise:
    """Build the demo exercise in `organisation` with `team` (the first member heard most
    of it and checked everything), replacing it if it is already there."""
    if not team:
        raise ValueError("The demo exercise needs at least one person in its team.")
    with transaction.atomic():
        Exercise.objects.filter(organisation=organisation, title=TITLE).delete()
        exercise = Exercise.objects.create(
            organisation=organisation,
            title=TITLE,
            question=QUESTION,
            asked_by="Northfield Council and the Harbour Lane people's panel",
            area=organisation.area,
            starts_on=STARTS_ON,
            ends_on=ENDS_ON,
            target_groups=(
                "People sleeping rough or sofa-surfing\n"
                "People who left prison in the last year\n"
                "Young people leaving care\n"
                "Older people who don't use the internet"
            ),
            channels=[value for value, _ in Channel.choices],
            consent_script=DEFAULT_CONSENT_SCRIPT,
            names_to_redact=NAMES_TO_REDACT,
            created_by=team[0],
            created_at=moment(STARTS_ON - timedelta(days=7), 10),
        )
        exercise.team.set(team)
        span = (ENDS_ON - STARTS_ON).days
        built = []
        for channel, place, words, name, credit_place, consent, warnings in VOICES:
            heard_on = STARTS_ON + timedelta(days=rng.randint(0, span))
            listener = team[0] if len(team) == 1 or rng.random() < 0.7 else rng.choice(team[1:])
            contribution = build(
                exercise,
                listener,
                ContributionFields(
                    channel=channel,
                    text=words,
                    place=place,
                    heard_on=heard_on,
                    credit=(
                        Contribution.Credit.NAMED
                        if name or credit_place
                        else Contribution.Credit.ANONYMOUS
                    ),
                    credit_name=name,
                    credit_place=credit_place,
                    consent_to_quote=consent,
                    content_warnings=warnings,
                ),
            )
            _checked(contribution, team[0], heard_on, rng)
            built.append(contribution)
        built.sort(key=lambda c: c.captured_at)
        save_built(built)
    return exercise


def moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _checked(contribution: Contribution, reviewer: Any, heard_on: date, rng: random.Random) -> None:
    """As if a person had checked it: every suggestion taken out."""
    contribution.captured_at = moment(heard_on, rng.randint(9, 18), rng.randint(0, 59))
    rows = contribution._pending_redactions
    for words, label in PLANTED:
        for start, end in occurrences(contribution.text, words, blocked=()):
            if not any(r.start <= start and end <= r.end for r in rows):
                rows = merge_team_span(rows, start, end, label)
    for row in rows:
        row.decision = Redaction.Decision.REMOVE
    contribution._pending_redactions = rows
    # Not embedded here: save_built embeds the whole demo in one batch.
    set_redacted_text([contribution], [redacted(contribution.text, rows)], embed=False)
    contribution.state = Contribution.State.REVIEWED
    contribution.reviewed_by = reviewer
    contribution.reviewed_at = contribution.captured_at + timedelta(days=rng.randint(0, 3))
