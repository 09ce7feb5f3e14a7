"""The redaction engine (alongside/listening/redaction): what it hides, what it leaves, and
that it never breaks on whatever a contributor types. Figures on the labelled set are in
test_evaluate_redaction.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.listening.redaction import LABELS, PLACEHOLDER, Span, apply, find_identifying


def found(text: str, extra_names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in find_identifying(text, extra_names)]


# --- the interface others build on ----------------------------------------------------------


def test_the_labels_are_the_seven_the_capture_screens_use():
    assert LABELS == ("name", "phone", "email", "address", "postcode", "date_of_birth", "ni_number")
    assert PLACEHOLDER["date_of_birth"] == "[date of birth]"


def test_spans_carry_their_text_and_come_sorted():
    text = "Ring Sharon on 07700 900461 or email sharon.t@example.org"
    spans = find_identifying(text)
    assert [s.label for s in spans] == ["name", "phone", "email"]
    assert all(isinstance(s, Span) and s.text == text[s.start : s.end] for s in spans)
    assert spans == sorted(spans)


def test_apply_puts_a_placeholder_where_each_detail_was():
    text = "Ring Sharon on 07700 900461 please"
    assert apply(text, find_identifying(text)) == "Ring [name] on [phone] please"


def test_apply_merges_overlapping_spans_a_person_added():
    text = "Flat 2, 10 Smith Street"
    spans = [Span(0, 6, "address", "Flat 2"), Span(3, 23, "address", text[3:23])]
    assert apply(text, spans) == "[address]"


def test_apply_cuts_a_span_that_runs_past_the_end_rather_than_showing_it():
    assert apply("call 07700", [Span(5, 40, "phone", "07700 900461")]) == "call [phone]"


def test_empty_and_blank_text_have_nothing_to_hide():
    assert find_identifying("") == []
    assert find_identifying("   \n\t ") == []


# --- names that are also words --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hope was the only worker who listened.", [("name", "Hope")]),
        ("I hope someone reads this.", []),
        ("Hope you don't mind me saying.", []),
        ("My keyworker Mark sorted my PIP form.", [("name", "Mark")]),
        ("Mark my words, people will die on the streets.", []),
        ("Me and Rose sat in the park every afternoon.", [("name", "Rose")]),
        ("Rose Hill community centre does a free lunch.", []),
        ("I'm Will, I'm 34.", [("name", "Will")]),
        ("Will they take the kids off me?", []),
        ("My friend May lost her job.", [("name", "May")]),
        ("May was the worst month.", []),
        ("Theresa May was prime minister then.", []),
        ("It was a joy to have my own front door.", []),
        ("The Salvation Army played carols on Christmas Eve.", []),
    ],
)
def test_names_that_are_words_need_a_capital_or_a_cue(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("honestly kev came with me and even he couldnt believe it", [("name", "kev")]),
        ("me and jade went to the council again", [("name", "jade")]),
        ("had a few bob left after the gas", []),
        ("my daughter lily keeps asking when we go home", [("name", "lily")]),
    ],
)
def test_lower_case_names_in_messages(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The probation officer, Mr Okafor, rang round.", [("name", "Okafor")]),
        ("Her solicitor is Ms Adjoa Mensah.", [("name", "Adjoa Mensah")]),
        ("Mr and Mrs Doyle have a room to rent.", [("name", "Doyle")]),
        ("There was a lady called Bernadette at the church.", [("name", "Bernadette")]),
        ("I've got a cat called Biscuit.", []),
        ("Kind regards,\nLorraine Fairbrother", [("name", "Lorraine Fairbrother")]),
        ("Best wishes, the listening team", []),
        ("Dear Listening Team, thank you.", []),
        ("Hi Priya, the flat is lovely.", [("name", "Priya")]),
        ("Name: Samantha Clarke", [("name", "Samantha Clarke")]),
        ("We got married on Hannah's birthday.", [("name", "Hannah")]),
        (
            "Kelly-Marie and her boyfriend Jayden are in the B&B.",
            [("name", "Kelly-Marie"), ("name", "Jayden")],
        ),
    ],
)
def test_titles_relations_greetings_and_signatures_announce_names(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Discharged from the John Radcliffe at 11pm with nowhere to go.",
        "We lived on George Street before the fire.",
        "St Thomas' were good to be fair.",
        "The Sue Ryder shop on Cowley Road has kids' coats.",
        "Martin Lewis does more for people like me than the DWP.",
        "I was on Ward 5A for a month.",
    ],
)
def test_places_organisations_and_public_figures_stay(text):
    assert found(text) == []


def test_the_teams_own_names_are_found_in_any_case_and_always_win():
    text = "Ask smudge, and Boris from the camp, they were both there."
    assert found(text) == []
    assert found(text, ("Smudge", "Boris")) == [("name", "smudge"), ("name", "Boris")]
    assert found("Big  Al looked after us", ("Big Al",)) == [("name", "Big  Al")]


# --- fixed-format details -------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "07700 900461",
        "07700900461",
        "07700-900-461",
        "+44 7700 900461",
        "+447700900461",
        "+44 (0) 7700 900 461",
        "0044 7700 900 461",
        "0161 496 0732",
        "020 7946 0518",
        "0207 946 0518",
        "(01632) 960 455",
        "01632 960455",
        "029 2018 0345",
        "0113-496-0555",
    ],
)
def test_uk_phone_numbers_in_the_shapes_people_type(number):
    assert found(f"ring me on {number} after six") == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Call 999 if it's an emergency, or 111.",
        "It said 0345 600 000 which isn't a number.",
        "I owe £1,247.60 and pay £20 a fortnight.",
        "The deadline is 12/12/2023 at 09:30.",
        "My claim reference is 88234917.",
    ],
)
def test_other_numbers_are_not_phones(text):
    assert [label for label, _ in found(text)] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my postcode is OX4 1DJ", "OX4 1DJ"),
        ("postcode SW98LU no space", "SW98LU"),
        ("we're in e3 4np now", "e3 4np"),
        ("Her flat's in G31 2QW, by the park.", "G31 2QW"),
    ],
)
def test_postcodes_with_and_without_the_space(text, expected):
    assert found(text) == [("postcode", expected)]


def test_a_postcode_needs_a_real_area_and_a_whole_code():
    assert found("see you at w4 5pm") == []
    assert found("We live in OX4 now") == []


@pytest.mark.parametrize("ni", ["JK 48 36 27 B", "jk483627b", "AB 123456 C", "jt-51-62-73-d"])
def test_national_insurance_numbers(ni):
    assert found(f"my NI is {ni} if you need it") == [("ni_number", ni)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Um, I was born 3rd March 1987, so I'm 37.", "3rd March 1987"),
        ("DOB 03/03/87", "03/03/87"),
        ("my date of birth is 14.07.1979", "14.07.1979"),
        ("D.O.B - 12 Aug 1977", "12 Aug 1977"),
        ("My birthday's the 9th of November", "9th of November"),
        ("I was born on 2nd Feb '84", "2nd Feb '84"),
    ],
)
def test_dates_of_birth_need_a_word_that_says_so(text, expected):
    assert found(text) == [("date_of_birth", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "You will be asked to attend on Tuesday 3rd March at 10:30am.",
        "I've been clean since the 2nd of May 2021.",
        "Because my birthday's in August I was the youngest.",
        "Born and bred in Hull, me.",
    ],
)
def test_other_dates_are_left(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We lived at 14 Cowley Road for eleven years.", "14 Cowley Road"),
        ("The new place is flat 2, 10 Smith Street, tiny.", "flat 2, 10 Smith Street"),
        (
            "Flat 12, Cedar House, 3 Windmill Lane, Southall",
            "Flat 12, Cedar House, 3 Windmill Lane",
        ),
        ("Drop the forms at Flat 7 Orchard Court please", "Flat 7 Orchard Court"),
        ("Send the keys to 88 Kingsway.", "88 Kingsway"),
        ("We were at number 9 Marsh Lane then.", "number 9 Marsh Lane"),
    ],
)
def test_addresses_are_a_house_number_and_a_street(text, expected):
    assert found(text) == [("address", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "We were on Oxford Street when the lockdown was announced.",
        "I'm number 412 in the queue for a flat.",
        "Your appointment: Room 4, Littlemore Health Centre.",
        "Four of us in one room at the Travelodge since Easter.",
    ],
)
def test_a_general_place_is_not_an_address(text):
    assert found(text) == []


def test_emails_plain_and_spelt_out():
    assert found("reply to <A.Osei@nhs.net> please") == [("email", "A.Osei@nhs.net")]
    assert found("email is kevinlowe at gmail dot com ok") == [
        ("email", "kevinlowe at gmail dot com")
    ]


# --- properties over any text ---------------------------------------------------------------

ANY_TEXT = st.text(max_size=400)
MIXED = st.lists(
    st.sampled_from(
        [
            "Hope",
            "Mark",
            "Sharon",
            "Road",
            "Flat",
            "2",
            "14",
            "OX4",
            "1DJ",
            "07700",
            "900461",
            "+44",
            "born",
            "DOB",
            "3rd",
            "March",
            "1987",
            "@",
            "x.y",
            "Mr",
            "called",
            ",",
            ".",
            "\n",
            "Thanks,",
            "NI",
            "JK",
            "48",
            "’s",
            "-",
            "St",
            "the",
        ]
    )
    | st.text(max_size=6),
    max_size=60,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT | MIXED, names=st.lists(st.text(max_size=8), max_size=3))
def test_any_text_gives_sorted_separate_spans_inside_it(text, names):
    spans = find_identifying(text, names)
    last_end = 0
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= last_end
        assert span.label in LABELS
        assert span.text == text[span.start : span.end]
        last_end = span.end


SECRET = st.text(alphabet="0123456789#", min_size=1, max_size=10)
PUBLIC = st.text(alphabet="abc xyz.,\n", max_size=10)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.tuples(PUBLIC, SECRET), max_size=8), tail=PUBLIC)
def test_apply_removes_every_span_and_keeps_everything_else(parts, tail):
    text, spans = "", []
    for public, secret in parts:
        text += public
        spans.append(Span(len(text), len(text) + len(secret), "phone", secret))
        text += secret
    text += tail
    redacted = apply(text, spans)
    assert not any(ch in redacted for ch in "0123456789#")
    assert redacted.replace("[phone]", "") == "".join(p for p, _ in parts) + tail


@settings(max_examples=200, deadline=None)
@given(
    digits=st.text(alphabet="0123456789", min_size=6, max_size=6),
    shape=st.sampled_from(["07700 {a}{b}", "07700{a}{b}", "+44 7700 {a} {b}", "07700-{a}-{b}"]),
    before=st.sampled_from(["ring me on", "my number is", "text", "call"]),
    after=st.sampled_from(["", " after 6", ", ta", " x"]),
)
def test_a_planted_mobile_number_is_always_hidden(digits, shape, before, after):
    number = shape.format(a=digits[:3], b=digits[3:])
    text = f"{before} {number}{after}"
    assert apply(text, find_identifying(text)) == f"{before} [phone]{after}"
