"""The hard cases of redaction (issue 16): names that are also words, National Insurance
numbers in any spacing and with prefixes HMRC never issues, dates of birth in words, phone
numbers with extensions or read out, addresses without a postcode; each with the ordinary
words that must stay. And the figures on the tune parts of both labelled sets, so that a
change which loses them fails."""

from __future__ import annotations

import importlib.util
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from alongside.listening.redaction import LABELS, apply, find_identifying

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "alongside/listening/data"
SETS = ("redaction_eval.jsonl", "redaction_hard.jsonl")


def found(text: str) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in find_identifying(text)]


# --- names that are words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Grace said she'd come with me.", "Grace"),  # a person's verb after
        ("Jordan rang the council for me.", "Jordan"),  # a place name with a person's verb
        ("I told Grace everything.", "Grace"),  # a verb done to a person before
        ("I met May at the food bank.", "May"),
        ("Ask Mark, he was there.", "Mark"),
        ("Tell Amber I got the keys.", "Amber"),
        ("Sorry Mark, I can't make Tuesday.", "Mark"),  # said to someone
        ("thanks Hope, you were the only one", "Hope"),
        ("Jordan's mum let me stay.", "Jordan"),  # a relation after the possessive
        ("The Jordan family on the corner kept an eye out.", "Jordan"),
        ("Chelsea from the youth hub came with me.", "Chelsea"),
        ("I got a card from Florence at the group.", "Florence"),
        ("Without Faith I'd have signed anything.", "Faith"),
        ("Rob will sort it, he always does.", "Rob"),
        ("Summer was my coach for a year.", "Summer"),
        ("hope rang back and sorted it", "hope"),  # small letters, a person's verb after
        ("mark from the hostel lent me a tenner", "mark"),
    ],
)
def test_a_name_that_is_a_word_is_found_where_the_words_around_say_person(text, name):
    assert ("name", name) in found(text)


def test_every_name_in_a_list_with_a_name_is_found():
    text = "Grace, Hope and Jordan all came to my tenancy signing."
    assert found(text) == [("name", "Grace"), ("name", "Hope"), ("name", "Jordan")]


def test_a_small_letter_name_after_someones_relation_is_found_but_not_a_verb():
    assert found("My mate jordan and his girlfriend hope live below.") == [
        ("name", "jordan"),
        ("name", "hope"),
    ]
    assert found("my partner will come with me") == []
    assert found("my mum may know") == []


@pytest.mark.parametrize(
    "text",
    [
        "I hope they listen this time.",
        "We went to see the River Jordan.",
        "He fled from Jordan with nothing.",
        "By the grace of God I'm still here.",
        "We moved in May and the boiler broke in June.",
        "May I just say the coaching saved my life.",
        "The rent rose by eighty quid.",
        "I will never go back to that hostel.",
        "They put a mark on my file.",
        "Summer is the worst, the room is like an oven.",
        "Grace and favour flats, they called them.",
        "I'm a born again Christian.",
        "my nat ins number is missing",
        "Thanks Sharon, Will you be there on Friday?",  # Sharon only
        "I rang Chester council twice.",
        "We went to watch Chelsea at the Bridge.",
    ],
)
def test_the_same_words_used_as_words_stay(text):
    assert [t for label, t in found(text) if label == "name" and t != "Sharon"] == []


# --- National Insurance numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    "ni",
    [
        "AB123456C",
        "AB 12 34 56 C",
        "ab-12-34-56-c",
        "JK.48.36.27.B",
        "ce 405 872 d",
        "jj 1 2 3 4 5 6 b",
        "SN  225174  B",
        # prefixes HMRC never issues: still a number someone is known by
        "BG 12 34 56 A",
        "GB123456A",
        "NK 77 31 08 D",
        "KN 55 10 22 B",
        "TN 34 87 61 A",
        "NT 61 40 29 C",
        "ZZ 00 11 22 B",
        "QQ 12 34 56 C",
        "DF 48 27 13 A",
        "UV 90 12 34 D",
        "FY 80 41 55 C",
    ],
)
def test_ni_numbers_in_any_spacing_and_with_any_prefix(ni):
    assert found(f"my NI is {ni} if you need it") == [("ni_number", ni)]


def test_ni_numbers_with_a_prefix_never_issued_need_capitals_or_a_cue():
    assert found("NI number qq 12 34 56 c") == [("ni_number", "qq 12 34 56 c")]
    assert found("my nat ins number is PW 83 21 07 C") == [("ni_number", "PW 83 21 07 C")]
    assert found("national insurance no OB 62 18 93 - the last letter rubbed off") == [
        ("ni_number", "OB 62 18 93")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Reg AB12 CDE, towed from outside the hostel.",
        "The parcel tracking code is QX 1234 5678 GB.",
        "The order number was AB123456, no fridge.",
        "Flight BA 2490 to Lagos.",
        "Room GB12 on the second floor.",
    ],
)
def test_other_codes_are_not_ni_numbers(text):
    assert [label for label, _ in found(text) if label == "ni_number"] == []


# --- dates of birth -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        (
            "My date of birth is the fifth of March nineteen ninety.",
            "fifth of March nineteen ninety",
        ),
        ("I was born on 3/4/88 in the old wing.", "3/4/88"),
        ("date of birth is twelfth of October eighty-two", "twelfth of October eighty-two"),
        ("my birthday is March the 5th, same as my nan's", "March the 5th"),
        ("I was born in March 1987, just before the storm.", "March 1987"),
        ("DoB: 1988-04-03", "1988-04-03"),
        ("born 03 04 1988, it's on the form", "03 04 1988"),
        ("I was born on Christmas Day 1985.", "Christmas Day 1985"),
        ("D.O.B. the 3rd of the 4th, 88", "3rd of the 4th, 88"),
        ("I'll be 40 on the 5th of June, my birthday that is.", "5th of June"),
    ],
)
def test_dates_of_birth_in_words_and_numbers(text, date):
    assert found(text) == [("date_of_birth", date)]


@pytest.mark.parametrize(
    "text",
    [
        "I was born in 1987 and I've never seen it this bad.",  # a year alone: an age
        "Born and bred in Salford, me.",
        "I was born in Jamaica and came here at nine.",
        "My appointment is on 14/03/2024 at the job centre.",
        "The eviction date was the fifth of March, two days before my birthday.",
        "Court is on the twenty-first of June at ten.",
        "I was born in Leeds but moved down on 3 March 1995.",
        "I bought her a birthday card on 2 March.",
        "It's my birthday on Friday.",
    ],
)
def test_dates_that_are_not_of_birth_stay(text):
    assert found(text) == []


# --- phones with extensions and read out ----------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "01632 960 118 ext. 204",
        "0113 496 0555 x204",
        "020 7946 0321, extension 12",
        "0117 496 0123 Ext 2209",
        "0121 496 0417 extn 31",
        "01632 960 887 (ext. 45)",
        "oh seven seven double oh nine double oh four six one",
        "zero seven seven zero zero, nine zero zero, one two three",
        "oh seven seven double oh, nine double oh, double five two",
        "O7700 9OO 431",
    ],
)
def test_phone_numbers_with_extensions_and_read_out(number):
    assert found(f"ring me on {number} after six") == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "They need an extension on my claim, two more weeks.",
        "The extension on the back of the house is damp.",
        "Take them x2 a day with food.",
        "We worked seven days a week, double shifts, nine to five.",
        "Zero hours contract, zero tolerance, zero help.",
        "I owe nine hundred and forty quid on the gas.",
        "I rang the DWP helpline 0800 328 5644 forty times.",  # freephone: nobody's own
        "The crisis line is 03069 990 100, it rang out.",
    ],
)
def test_extensions_and_number_words_that_are_not_phones(text):
    assert [label for label, _ in found(text) if label == "phone"] == []


# --- addresses without a postcode ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("im at flat 3, 12 mill lane now", "flat 3, 12 mill lane"),
        ("The new place is 12a Mill Lane, ground floor.", "12a Mill Lane"),
        ("We're at number 14 on Station Road, blue door.", "number 14 on Station Road"),
        ("Drop it to Flat 2 Cedar House please.", "Flat 2 Cedar House"),
        ("I live at 23 Tennyson Lodge now.", "23 Tennyson Lodge"),
        ("post it to flat 6 kestrel house please", "flat 6 kestrel house"),
        ("We were in Flat 11, Block C, Windrush Court.", "Flat 11, Block C, Windrush Court"),
        ("They've moved us to Rose Cottage, Mill Lane, Littlemore.", "Rose Cottage, Mill Lane"),
        ("Drop the forms at Flat 7 Orchard Court please", "Flat 7 Orchard Court"),
    ],
)
def test_addresses_without_a_postcode(text, address):
    assert found(text) == [("address", address)]


@pytest.mark.parametrize(
    "text",
    [
        "We lived down Mill Lane for ten years.",
        "I spent 12 months on Station Road in a bedsit.",
        "The number 25 on Iffley Road is always late.",
        "I was in flat 4 for a bit, then upstairs.",
        "Cedar House is the worst hostel in the city.",
        "Number 14 bus runs every half hour.",
    ],
)
def test_streets_and_buildings_without_a_number_stay(text):
    assert found(text) == []


# --- the figures on the labelled sets --------------------------------------------------------


def report(name: str, part: str) -> dict:
    out = StringIO()
    call_command("evaluate_redaction", dataset=str(DATA / name), part=part, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module", params=SETS)
def tune(request) -> dict:
    return report(request.param, "tune")


def test_tune_parts_meet_the_targets_for_every_label(tune):
    for label in LABELS:
        figures = tune["labels"][label]
        if figures["support"]:
            assert figures["recall"] >= 0.97, label
        if figures["predicted"]:
            assert figures["precision"] >= 0.95, label
    assert tune["overall"]["precision"] >= 0.95


def test_held_out_parts_do_not_fall_below_what_the_note_reports():
    # The hard set's held-out part was scored once (0.92 / 0.95) and its mistakes then fixed
    # in general form, so it is a "seen" held-out part now (docs/listening-redaction.md):
    # this only stops a later change making it, or the first set's, worse.
    hard = report("redaction_hard.jsonl", "holdout")["overall"]
    assert hard["recall"] >= 0.97 and hard["precision"] >= 0.95
    old = report("redaction_eval.jsonl", "holdout")["overall"]
    assert old["recall"] >= 0.99 and old["precision"] >= 0.98


def evaluate_file(name: str) -> dict:
    out = StringIO()
    call_command("evaluate_redaction", dataset=str(DATA / name), stdout=out)
    return json.loads(out.getvalue())


def test_the_fresh_set_now_seen_does_not_get_worse():
    # redaction_fresh.jsonl was written blind and scored once after the second round (recall
    # 0.876, precision 0.991). The third round then tuned on it, so it is a seen set now
    # (1.00 / 0.992, docs/listening-redaction.md): this only stops a later change losing that.
    fresh = evaluate_file("redaction_fresh.jsonl")
    assert fresh["overall"]["recall"] >= 0.98
    assert fresh["overall"]["precision"] >= 0.97
    for label in LABELS:
        assert fresh["labels"][label]["recall"] >= 0.98, label


def test_the_second_fresh_set_now_seen_does_not_get_worse():
    # redaction_fresh2.jsonl was written blind and scored once after the third round (recall
    # 0.823, precision 0.983; names 0.685). The fourth round then tuned on it in general form,
    # so it is a seen set now (0.993 / 1.00, docs/listening-redaction.md): this only stops a
    # later change losing that.
    fresh2 = evaluate_file("redaction_fresh2.jsonl")
    assert fresh2["overall"]["recall"] >= 0.97
    assert fresh2["overall"]["precision"] >= 0.97
    for label in LABELS:
        assert fresh2["labels"][label]["recall"] >= 0.95, label
        assert fresh2["labels"][label]["precision"] >= 0.95, label


def test_the_third_fresh_set_scored_once_does_not_get_worse():
    # redaction_fresh3.jsonl was written by someone else, blind to the rules, and scored once
    # after the fourth round's rule changes: recall 0.875, precision 0.975; names 0.745 (0.95
    # precise), dates of birth 0.88, addresses 0.923, the rest 1.00 (docs/listening-redaction.md).
    # Below target for names, and said so; these floors (the scored figure minus 0.02) only stop
    # a later change making it worse.
    fresh3 = evaluate_file("redaction_fresh3.jsonl")
    assert fresh3["overall"]["recall"] >= 0.855
    assert fresh3["overall"]["precision"] >= 0.955
    floors = {
        "name": 0.725,
        "date_of_birth": 0.86,
        "ni_number": 0.98,
        "email": 0.98,
        "phone": 0.98,
        "address": 0.903,
        "postcode": 0.98,
    }
    for label, floor in floors.items():
        assert fresh3["labels"][label]["recall"] >= floor, label
    assert fresh3["labels"]["name"]["precision"] >= 0.93
    assert fresh3["labels"]["phone"]["precision"] >= 0.917


def test_the_hard_set_covers_every_hard_kind_and_is_what_the_script_builds():
    spec = importlib.util.spec_from_file_location(
        "build_redaction_hard", ROOT / "scripts/build_redaction_hard.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    from build_redaction_eval import rows_to_jsonl  # put on the path by the script

    shipped = (DATA / "redaction_hard.jsonl").read_text(encoding="utf-8")
    assert shipped == rows_to_jsonl(script.ENTRIES)
    rows = [json.loads(line) for line in shipped.splitlines()]
    assert len(rows) >= 250
    assert sum(1 for r in rows if not r["spans"]) >= 80  # tempting sentences with nothing
    for label in ("name", "phone", "address", "date_of_birth", "ni_number"):
        assert sum(s["label"] == label for r in rows for s in r["spans"]) >= 20, label


@pytest.mark.parametrize("name", ["fresh", "fresh2", "fresh3"])
def test_each_blind_set_is_what_its_script_builds_and_all_of_it_is_held_out(name):
    spec = importlib.util.spec_from_file_location(
        f"build_redaction_{name}", ROOT / f"scripts/build_redaction_{name}.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shipped = (DATA / f"redaction_{name}.jsonl").read_text(encoding="utf-8")
    assert shipped == script.build()
    rows = [json.loads(line) for line in shipped.splitlines()]
    assert {r["part"] for r in rows} == {name}
    assert len({r["text"] for r in rows}) == len(rows)


# --- second round (issue 16, item 4): the hard set's held-out mistakes, made general ------------


@pytest.mark.parametrize(
    "number",
    [
        "07700/900/274",
        "07700 / 900 / 274",
        "0113/496/0555",
        "+44 7700/900/274",
        "07700 – 900 274",  # an en dash
        "07700_900_274",
        "07700\u2011900\u2011274",  # a hyphen that does not break
    ],
)
def test_phone_numbers_split_by_slashes_and_other_separators(number):
    assert found(f"my number is {number} after six") == [("phone", number)]


def test_two_slashed_numbers_are_two_phones_and_a_slashed_date_is_no_phone():
    assert found("ring 07700 900 274 / 07700 900 275") == [
        ("phone", "07700 900 274"),
        ("phone", "07700 900 275"),
    ]
    # The date stays out of the phone, and the number after it is still found.
    assert found("on 01/02/2023 0113 496 0555 rang") == [("phone", "0113 496 0555")]
    assert [label for label, _ in found("born 01/02/1987 12 of us were there")] == ["date_of_birth"]
    assert found("the 05/06/2023 - 07/06/2023 booking") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("We were at 4 Orchard Cl. till the landlord sold it.", "4 Orchard Cl."),
        ("I'm at 14 westfield rd if you want to drop round", "14 westfield rd"),
        ("send it to 3 ELM CRES please", "3 ELM CRES"),
        ("It's 22 Acacia Ave, by the shop.", "22 Acacia Ave"),
        ("Post goes to 9 Hollybush Ter now", "9 Hollybush Ter"),
        ("we're at 5 priory gdns", "5 priory gdns"),
        ("She lives at 12 high st with her nan", "12 high st"),
        ("It was 3 Park Dr. before that", "3 Park Dr."),
        ("Flat 3 14 Mill Ln is damp", "Flat 3 14 Mill Ln"),
        ("number 4 Abbey Cl, the blue door", "number 4 Abbey Cl"),
        ("I'm at 7 Market Sq, over the chemist", "7 Market Sq"),
        ("at 2 Cedar Pl.", "2 Cedar Pl"),
        ("The hostel is at 12 Mill lane", "12 Mill lane"),
    ],
)
def test_street_abbreviations_in_any_capitals_after_a_house_number(text, address):
    assert found(text) == [("address", address)]


@pytest.mark.parametrize(
    "text",
    [
        "I had 3 appts with dr patel",  # patel only
        "a 10 minute drive away",
        "I have 2 people close to me",
        "I'm 12 st now, lost 2 st in a month",
        "a unit equal to 1 lumen per square centimetre",
        "a room 3 metres sq",
        "We lived on Orchard Cl. for years.",  # no house number
        "2 Park House meetings a week.",  # the number counts the meetings
        "I go to 3 Mill Lane sessions now.",
    ],
)
def test_abbreviations_and_street_words_without_an_address_stay(text):
    assert [t for label, t in found(text) if label == "address"] == []


def test_an_address_keeps_the_sentence_full_stop_out_and_an_abbreviation_keeps_its_own():
    text = "I live at 14 Cowley Road."
    assert apply(text, find_identifying(text)) == "I live at [address]."
    text = "I live at 14 Cowley Rd. Come round."
    assert apply(text, find_identifying(text)) == "I live at [address]. Come round."
    text = "We were at 4 Orchard Cl. till the landlord sold it."
    assert apply(text, find_identifying(text)) == "We were at [address] till the landlord sold it."
    assert found("I live at 2 Park House now.") == [("address", "2 Park House")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("rose n me used to sit in the park every day", "rose"),
        ("me n hope went to the hub", "hope"),
        ("me & hope went to the hub", "hope"),
        ("hope and me went to the hub", "hope"),
        ("grace & me fell out", "grace"),
        ("Rose n me went to the hub", "Rose"),
        ("Hope and I went to the hub", "Hope"),
    ],
)
def test_word_names_with_and_me_in_casual_speech(text, name):
    assert ("name", name) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I hope n pray every night",
        "Hope and faith got me through",
        "we rose and left",
    ],
)
def test_word_names_without_a_companion_stay(text):
    assert [t for label, t in found(text) if label == "name"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I was stuck and Sky texted me every night.", "Sky"),
        ("Sky texted me every day during lockdown.", "Sky"),  # a word the lists know as a name
        ("Then River rang me.", "River"),
        ("and Xylia said she'd come", "Xylia"),  # in no list
        ("the worker was off, so Tiegan phoned instead", "Tiegan"),
        ("and Xylia n me went", "Xylia"),
    ],
)
def test_an_unlisted_capitalised_name_with_a_verb_of_speaking_after_it(text, name):
    assert ("name", name) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "We watched Sky News all night.",
        "Sky TV said it was down.",
        "The letter came and Housing rang to say sorry.",
        "I went in and Reception told me to wait.",
        "Then Universal Credit texted me about the sanction.",
        "We rang and Citizens Advice said they'd help.",
        "then Barclays texted me",
        "Later Mind rang me back.",
        "I was low and Facebook told me it was a memory.",
        "then Somebody said hi",
        "Everybody said it was fine.",  # the start of a sentence: not for an unlisted word
        "Art helped me cope.",  # a word-name needs a verb of speaking
    ],
)
def test_organisations_and_words_before_a_verb_stay(text):
    assert [t for label, t in found(text) if label == "name"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Hope is all I've got left some days.",
        "Hope is the only thing keeping me going.",
        "Faith is important to me.",
        "Patience is a virtue.",
        "Reg number AB12 CDE, it was towed from outside the hostel.",
        "My nan's house is the one with the gnomes.",
        "Father's Day was hard this year.",
        "Rose from the ashes, that's me.",
    ],
)
def test_word_names_used_as_words_are_not_hidden(text):
    assert [t for label, t in found(text) if label == "name"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hope was the only one who listened.", "Hope"),
        ("Rose from the hub rang me back.", "Rose"),
        ("Aunty Pat's house is big", "Pat"),
        ("My nan Rose is ninety", "Rose"),
        ("Our neighbour Reg fixed the boiler.", "Reg"),
    ],
)
def test_the_same_words_with_a_person_cue_are_still_names(text, name):
    assert [t for label, t in found(text) if label == "name"] == [name]


@pytest.mark.parametrize(
    "text",
    [
        "we met at 10 11 12 a",
        "ID 12 34 56 A",
        "ID: 12 34 56 A",
        "NO 12 34 56 C on the list",
        "It's on 12 34 56 B",
    ],
)
def test_a_two_letter_word_before_spaced_figures_is_no_ni_number(text):
    assert [label for label, _ in found(text) if label == "ni_number"] == []


def test_a_two_letter_word_is_an_ni_prefix_when_written_on_or_cued():
    assert found("AT123456C is mine") == [("ni_number", "AT123456C")]
    assert found("my NI number is NO 12 34 56 C") == [("ni_number", "NO 12 34 56 C")]


def test_a_birthday_named_in_a_new_clause_is_not_the_date_before_it():
    assert found("We met on 5 June, my birthday was a week later") == []
    assert found("on 3 March, my birthday's a week after") == []
    assert found("on 3 March, my birthday, we went out") == [("date_of_birth", "3 March")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Honestly Faith was the only one who rang.", [("name", "Faith")]),  # after an adverb
        ("Honestly Christmas Eve was the worst.", []),
        ("We called him Sonny.", [("name", "Sonny")]),
        ("I called her Monday about it.", []),
        ("my neighbour bill rang the police", [("name", "bill")]),  # a verb-name, then a verb
        ("my partner will ring you", []),
        ("we swam in the river jordan", []),
        ("born on a Tuesday, 4 June 1991", [("date_of_birth", "4 June 1991")]),
        ("I was born on a council estate in 1987", []),
        ("Call Grace on 07700 900 123", [("name", "Grace"), ("phone", "07700 900 123")]),
        ("Call Centre staff were rude", []),
        ("i told rose everything", [("name", "rose")]),  # small letters after telling
        ("the rent rose and I told them", []),
        ("I saw hope in her eyes", []),
        ("Jordan's flat is near mine", [("name", "Jordan")]),  # what only a person has
        ("Chelsea's ground is huge", []),
        ("Hope's been brilliant with me", [("name", "Hope")]),  # has been
        ("Hope's been the only thing keeping me going", []),
        ("It's Jordan here, call me back.", [("name", "Jordan")]),
        ("Sorry to hear that, Will do.", []),
        ("Flat 4, Willow Court, Banbury Road", [("address", "Flat 4, Willow Court, Banbury Road")]),
        ("I live at 14 Mill Lane, Cowley Road is near", [("address", "14 Mill Lane")]),
        ("I live at 45 the crescent", [("address", "45 the crescent")]),
        ("flat 9 block b marston court", [("address", "flat 9 block b marston court")]),
        ("flat 9, block of flats", []),
    ],
)
def test_the_same_hard_kinds_said_a_little_differently(text, expected):
    assert found(text) == expected


# --- third round: word-names with no cue the earlier rules knew, and the fresh set's misses ---


def names(text: str) -> list[str]:
    return [t for label, t in found(text) if label == "name"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a month name away from the start of a sentence, with no month around it
        ("I went with April to the housing office.", "April"),
        ("we went to the hub with June and her boy", "June"),
        ("Then May said we could stay.", "May"),
        # a place name after someone spoke or passed something on to it
        ("Spoke to Jordan after the meeting.", "Jordan"),
        ("can you pass it on to hope please", "hope"),
        ("I went to court with Georgia.", "Georgia"),
        # at the start of a sentence: "and her ...", a life verb, an age, where someone lives
        ("Mark and his dog are still in the tent.", "Mark"),
        ("Jade and her mum sleep in the car.", "Jade"),
        ("ruby & her boyfriend got a flat", "ruby"),
        ("Robin passed away in the spring.", "Robin"),
        ("Patience died last year, we miss her.", "Patience"),
        ("Joy used to come every week.", "Joy"),
        ("will used to come to the group", "will"),
        ("Pat next door keeps an eye on me.", "Pat"),
        ("Ruby upstairs has been great.", "Ruby"),
        ("Dawn on the second floor has no heating.", "Dawn"),
        ("Ivy on the top floor is lovely.", "Ivy"),
        ("will is 19 next week", "will"),
        # small letters: a person's verb, then he or she
        ("amber is sleeping at her mate's", "amber"),
        ("jack got his keys at last", "jack"),
        ("and frank died in the hostel last winter", "frank"),
        # greetings and sign-offs
        ("hello, this is June from flat 4", "June"),
        ("hey its jade again", "jade"),
        ("See you Thursday x Rose", "Rose"),
        ("thanks grace x", "grace"),
        ("hi mark, can you ring me", "mark"),
        # more of the same signs, said a little differently
        ("Joy's kids are with her mum.", "Joy"),
        ("jack's mum is ill", "jack"),
        ("Faith with her two kids has nowhere to go.", "Faith"),
        ("i think mark is sleeping in his van again", "mark"),
        ("and Jordan was there for me, he never left", "Jordan"),
    ],
)
def test_word_names_found_from_the_words_around_them(text, name):
    assert names(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        # months where the words around make them months
        "We moved in May and the boiler broke in June.",
        "See you on May 5th.",
        "Your appointment: Monday 6 May, 10:40.",
        "The 5th May is a bank holiday.",
        "Last May was the worst month.",
        "We're hoping for April or May.",
        "The May half term was hard.",
        "Between May and August I was on the streets.",
        "We'll have the money by April-May.",
        "Rent for April's gone up again.",
        "It's May already.",
        "Hi, it's May already, where's the year gone",
        "My letter came in March. It is now August.",
        # the word, not the person
        "I hope he gets the flat.",
        "and hope he's ok",
        "hope has gone, he's given up",
        "faith got him through prison",
        "grace was on his side that day",
        "Grace is what got her through.",
        "mark the form and send it back",
        "will do his best",
        "I gave it to charity.",
        "I've come to faith late in life.",
        "sky is 16 quid a month now",
        "Sky is 30 quid a month.",
        "hi hope you're well",
        "when bill is due he panics",
        "that mark is on his record",
        "Bolton was rough, we left",
        "Rose is 5 minutes away.",
        "Max is 30 mph on that road.",
        "We had no Sky and no heating.",
        "Any Joy with the council?",
        "Bill on the table",
        "Pat on the back",
        "I spoke to them in June.",
        "Talk to Chester council about it.",
        # a language or colour, and fixed phrases
        "I did maths and English at college.",
        "I was stopped for driving while Black.",
        "Hail Mary, full of grace.",
        "Mother Nature can be cruel.",
        "Lady Luck wasn't on my side.",
        "We watched Sky Sports all day.",
    ],
)
def test_the_same_words_stay_where_the_words_around_say_so(text):
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("born May '84, same year as the strike", "May '84"),
        ("born on the ninth of the third, nineteen eighty", "ninth of the third, nineteen eighty"),
        ("born the 3rd of the 9th month 1990", "3rd of the 9th month 1990"),
        ("b. 3/4/88", "3/4/88"),
        ("bday 12/11 if you want to send a card", "12/11"),
        ("my birthday is on 8/3 at 7pm", "8/3"),
        ("birthday: 14/2", "14/2"),
        ("birthday 12.03", "12.03"),
    ],
)
def test_dates_of_birth_with_a_short_year_a_month_in_words_or_day_and_month(text, date):
    assert found(text) == [("date_of_birth", date)]


@pytest.mark.parametrize(
    "text",
    [
        "born 2/3 of the way through",  # a share, not a date
        "my birthday is in 3 weeks",
        "meet me at 8/3 platform",  # no cue: a day and month alone is no date of birth
        "club. 3/4 of us went",  # "b." ending a word is no cue
    ],
)
def test_day_and_month_without_a_cue_right_before_are_no_date_of_birth(text):
    assert [label for label, _ in found(text) if label == "date_of_birth"] == []


def test_two_names_joined_by_an_ampersand_at_the_start():
    assert names("Hope & Jordan went to the council.") == ["Hope", "Jordan"]


def test_ni_numbers_with_the_letters_spelt_out():
    assert found("voicemail: my national insurance is J K 48 29 17 C") == [
        ("ni_number", "J K 48 29 17 C")
    ]
    assert found("NI: A B 12 34 56 C") == [("ni_number", "A B 12 34 56 C")]
    assert found("my NI is j k 48 29 17 c") == [("ni_number", "j k 48 29 17 c")]
    # small letters need the cue; a word before the figures is no letter of a number
    assert [label for label, _ in found("a b 12 34 56 c")] == []
    assert [label for label, _ in found("grade B 12 34 56 C")] == []


# --- fourth round (issue 16, item 4): the second fresh set's mistakes, made general ----------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a description straight after the word-name
        ("Ruby (my youngest) has a hospital appointment.", "Ruby"),
        ("Poppy (7) loves the after school club.", "Poppy"),
        ("Jade, my support worker, sorted my forms.", "Jade"),
        ("Holly my key worker rang yesterday.", "Holly"),
        ("amber my sister is staying with me.", "amber"),
        # 's for is or has
        ("Jack's at his dad's this weekend.", "Jack"),
        ("Ruby's doing her exams now.", "Ruby"),
        ("Faith's the one who helped me get the flat.", "Faith"),
        # whose: one describing word, then a person
        ("Pearl's social worker came to see us.", "Pearl"),
        # a verb in the third person or the past, perhaps after never/always/still
        ("Holly keeps asking when the money will come.", "Holly"),
        ("Ivy always worries about the rent.", "Ivy"),
        ("jack never rang me back after the meeting.", "jack"),
        ("pat keeps my post for me when I'm away.", "pat"),
        ("Chase still owes me twenty quid.", "Chase"),
        # a person's state
        ("Robin gets really upset when the letters come.", "Robin"),
        ("Storm is anxious about going back to school.", "Storm"),
        # seasons start school, not the weather
        ("Summer started at the nursery on Monday.", "Summer"),
        ("Autumn joined the school in year 3.", "Autumn"),
        ("Hunter started at college in September.", "Hunter"),
        # small letters after ring and thank
        ("thank jade for me when you see her.", "jade"),
        ("June's my keyworker and she's great.", "June"),
        ("Summer's our eldest, she's 15.", "Summer"),
        ("Pat's brilliant with the kids.", "Pat"),
        ("jade at the hub sorted my bus pass.", "jade"),
        ("When robin keeps the tablets I feel safer.", "robin"),
        ("my eldest summer starts school soon", "summer"),
        ("ring holly, she knows what to do.", "holly"),
        ("my son storm is 6 and autistic.", "storm"),
    ],
)
def test_fourth_round_word_names_found_from_what_follows(text, name):
    assert names(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Autumn started early this year and the heating went on.",
        "Summer came and went without a holiday.",
        "Winter gets worse every year in this flat.",
        "Storm gets worse after midnight they said.",
        "Hope keeps me going most days.",
        "Grace period ended on Friday.",
        "Frank conversation with the housing officer today.",
        "Mark my words, they will cut it again.",
        "May I ask a question about the form?",
        "Hope you are all well.",
        "Hope my son is ok when he goes.",
        "Will my claim be affected by this?",
        "Bill came to £340 this month.",
        "Van got towed from outside the hostel.",
        "Sky went dark at four o'clock.",
        "Penny dropped when she explained it.",
        "Trust takes time to build.",
        "Summer's here at last and the kids are off.",
        "Hope's the only thing keeping me going.",
        "Spring's come early this year.",
        "Gift cards came in the post.",
        "Young people get ignored by the council.",
        "ring round the agencies if you can.",
        "Summer's lovely this year.",
        "Spring's my favourite season.",
        "Hope's my only reason to keep going.",
        "May's been a nightmare with the rent.",
        "Grant came through at last, £500!",
        "Miles went by and we were still on the bus.",
        "my eldest may need help",
    ],
)
def test_fourth_round_the_same_words_as_words_stay(text):
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date of birth (DD-MM-YYYY): 04/11/1979", ("date_of_birth", "04/11/1979")),
        ("b.day 12/3 if that helps", ("date_of_birth", "12/3")),
        ("dob - the 2nd of the 7th, ninety one", ("date_of_birth", "2nd of the 7th, ninety one")),
        ("NI: AB/12/34/56/C", ("ni_number", "AB/12/34/56/C")),
        ("my ni is K L, 23, 45, 67, B", ("ni_number", "K L, 23, 45, 67, B")),
        ("national insurance QQ 12 34 56 - A", ("ni_number", "QQ 12 34 56 - A")),
        ("email me on sam.hill(at)gmail.com", ("email", "sam.hill(at)gmail.com")),
        ("jo_b @ hotmail.co.uk", ("email", "jo_b @ hotmail.co.uk")),
        ("email jo.b AT gmail.com", ("email", "jo.b AT gmail.com")),
        ("reach me at jo.b@gmail", ("email", "jo.b@gmail")),
        ("born Feb 3rd '89", ("date_of_birth", "Feb 3rd '89")),
    ],
)
def test_fourth_round_fixed_shapes_written_another_way(text, expected):
    assert found(text) == [expected]


def test_a_second_birth_date_in_the_same_breath_but_not_any_later_date():
    assert found("born 12 May 1988 and my brother on 3 June 1990") == [
        ("date_of_birth", "12 May 1988"),
        ("date_of_birth", "3 June 1990"),
    ]
    assert found("born on 3 March 1990 and the appointment on 6 Aug 2024") == [
        ("date_of_birth", "3 March 1990")
    ]


def test_an_organisation_line_is_not_hidden_but_a_direct_line_is():
    assert found("the housing options line is 0113 496 0000, press 2") == []
    assert found("The direct line is 0161 496 0732 if you need me.") == [("phone", "0161 496 0732")]
    assert found("my mum's line is 0113 496 0000") == [("phone", "0113 496 0000")]
    assert found("the council's direct line is 0161 496 0732") == [("phone", "0161 496 0732")]
    # "at" a provider only: where someone works is no email
    assert found("i work at sky now") == []
    assert found("take a look at outlook.com") == []
    # commas in a spelt-out NI need the cue
    assert [label for label, _ in found("rows S T, 47, 21, 89, A")] == []
