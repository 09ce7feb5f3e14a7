"""Theme names a team would keep: the measure (naming.py) on hand-made examples, so a broken
measure fails, and the names themselves (labels.py): readable, no defects on the shipped set's
own groups, the same every time."""

from __future__ import annotations

import json

import pytest

from alongside.listening.themes import SuggestedTheme, Suggestion, labels, naming

SETS = [naming.BUILDING_SET, naming.DATA / "themes_eval_holdout.csv"]


def theme(label: str, keywords: list[str], members: list[int]) -> SuggestedTheme:
    return SuggestedTheme(label=label, keywords=keywords, members=members)


# --- the measure ------------------------------------------------------------------------------

TEXTS = [
    "Black mould in the bedroom and the landlord won't fix it.",  # 0 housing
    "The damp is so bad we sleep in the front room.",  # 1 housing
    "The landlord says the mould is our fault.",  # 2 housing
    "My sanction meant no money for three weeks.",  # 3 benefits
    "They sanctioned me for missing one appointment and I haven't eaten.",  # 4 benefits
    "I was sanctioned twice in a year.",  # 5 benefits
]
GOLD = ["housing"] * 3 + ["benefits"] * 3
TITLES = {
    "housing": ["Damp, mould and disrepair", "Landlords who won't fix things"],
    "benefits": ["Benefits and sanctions", "Money taken away"],
}


def scores(*themes: SuggestedTheme, texts: list[str] = TEXTS) -> dict:
    suggestion = Suggestion(themes=list(themes), didnt_fit=[], method="hand", k=len(themes), seed=0)
    return naming.name_scores(suggestion, texts, GOLD, TITLES)


def test_a_label_sharing_a_word_with_its_groups_titles_is_accepted():
    good = scores(
        theme("Mould and landlord", ["mould", "landlord", "damp"], [0, 1, 2]),
        theme("Sanctioned and appointment", ["sanctioned", "appointment"], [3, 4, 5]),
    )
    # "sanctioned" folds to the titles' "sanctions"; "landlord" to "Landlords".
    assert good["accepted"] == 1.0 and good["distinct"] == 1.0 and good["keyword_hit"] == 1.0
    assert good["label_defect"] == 0.0 and good["keyword_repeats"] == 0.0
    assert good["themes"] == 2


def test_a_label_with_no_title_word_is_not_accepted_and_a_shared_word_is_not_distinct():
    result = scores(
        theme("Bedroom and front room", ["bedroom", "front room"], [0, 1, 2]),
        # "money" is a benefits title word: matched to benefits, so accepted, and distinct.
        theme("Money and weeks", ["weeks", "appointment"], [3, 4, 5]),
    )
    assert result["accepted"] == 0.5
    assert result["distinct"] == 0.5
    assert result["keyword_hit"] == 0.0


def test_each_theme_is_matched_to_its_members_majority_label():
    # The first theme holds two housing texts and one benefits text: it names housing.
    result = scores(
        theme("Landlord and mould", ["landlord"], [0, 2, 3]),
        theme("Sanctions and money", ["sanctions"], [1, 4, 5]),
    )
    assert result["accepted"] == 1.0
    swapped = scores(
        theme("Sanctions and money", ["sanctions"], [0, 2, 3]),
        theme("Landlord and mould", ["landlord"], [1, 4, 5]),
    )
    assert swapped["accepted"] == 0.0 and swapped["keyword_hit"] == 0.0


def test_label_defects_are_each_found():
    known = naming.whole_words(TEXTS)
    clean = naming.label_defects("Damp, mould and landlord", known)
    assert not any(clean.values())
    assert naming.label_defects("The damp and mould", known)["stop_word"]
    assert naming.label_defects("Sanction, sanctioned and money", known)["repeated_word"]
    assert naming.label_defects("Damp (theme 3)", known)["one_word"]
    assert naming.label_defects("Theme 4", known)["one_word"]
    # A stem shown as is, and the first part of a contraction, are fragments.
    assert naming.label_defects("Sanction and mou", known)["fragment"]
    assert naming.label_defects("Haven and money", known)["fragment"]
    assert naming.label_defects("Mould and damp", known, ["mould and damp"])["same_as_another"]


def test_defect_shares_and_keyword_repeats_count_themes():
    result = scores(
        theme("Mould, mould and damp", ["mould", "mouldy", "damp"], [0, 1, 2]),
        theme("Mould, mould and damp", ["sanction", "money"], [3, 4, 5]),
    )
    assert result["repeated_word"] == 1.0 and result["same_as_another"] == 1.0
    assert result["label_defect"] == 1.0
    assert result["keyword_repeats"] == 0.0  # "mould" and "mouldy" fold apart: no repeat
    repeats = scores(
        theme("Damp and mould", ["mould", "black mould"], [0, 1, 2]),
        theme("Sanction and money", ["sanction", "sanctioned"], [3, 4, 5]),
    )
    assert repeats["keyword_repeats"] == 1.0 and repeats["label_defect"] == 0.0


def test_keyword_repeats_by_fold():
    assert naming.keyword_repeats(["sanction", "sanctions"])
    assert naming.keyword_repeats(["health", "mental health"])
    assert not naming.keyword_repeats(["mould", "damp", "landlord"])


def test_titles_file_has_six_titles_for_each_of_the_ten_labels():
    titles = naming.load_titles()["themes_eval"]
    assert len(titles) == 10
    assert all(len(t) == 6 and len(set(t)) == 6 for t in titles.values())


def test_a_set_without_titles_uses_its_labels_own_words():
    assert naming.label_words("card_arrival") == "card arrival"
    assert naming.titles_for(["card_arrival", "lost-card"], "banking") == {
        "card_arrival": ["card arrival"],
        "lost-card": ["lost card"],
    }
    # The holdout is scored with the titles written (from the building set) for its labels.
    holdout = naming.titles_for(["loneliness"], "themes_eval_holdout")
    assert holdout["loneliness"] == naming.load_titles()["themes_eval"]["loneliness"]


# --- the names --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    texts, gold = naming.read_set(naming.BUILDING_SET)
    return texts, gold, naming.true_groups(texts, gold)


def test_the_shipped_sets_true_groups_are_named_without_defects(shipped):
    texts, gold, truth = shipped
    result = naming.name_scores(truth, texts, gold, naming.titles_for(gold, "themes_eval"))
    assert result["themes"] == 10
    assert result["label_defect"] == 0.0
    assert result["keyword_repeats"] == 0.0
    # Measured 1.0 (docs/listening-themes.md); a fall to this means naming broke.
    assert result["accepted"] >= 0.8
    for named in truth.themes:
        assert 2 <= len(named.keywords) <= labels.KEYWORDS
        member_text = " ".join(texts[i].lower() for i in named.members)
        assert all(k in member_text for k in named.keywords)


def test_naming_is_deterministic(shipped):
    texts, gold, truth = shipped
    again = naming.true_groups(texts, gold)
    assert [(t.label, t.keywords) for t in again.themes] == [
        (t.label, t.keywords) for t in truth.themes
    ]


def test_label_joins_two_or_three_keywords_as_a_person_would():
    assert (
        labels.label_for(["damp", "mould", "landlord", "boiler"], 1) == "Damp, mould and landlord"
    )
    assert (
        labels.label_for(["mental health", "therapy", "waiting"], 1) == "Mental health and therapy"
    )
    assert labels.label_for(["food bank", "debt"], 1) == "Food bank and debt"
    # Never the same word twice, even in another form.
    assert labels.label_for(["pay", "payment", "debt", "rent"], 1) == "Pay, debt and rent"
    assert labels.label_for(["damp"], 3) == "Damp (theme 3)"
    assert labels.label_for([], 4) == "Theme 4"


def test_keywords_prefer_a_phrase_and_never_repeat_a_word():
    texts = [
        "My mental health went downhill while I waited.",
        "Mental health services said I was not ill enough.",
        "The mental health team discharged me.",
        "My health visitor was lovely and my mental health improved.",
        "The landlord ignored the mould.",
        "Mould on every wall and the landlord shrugged.",
        "The landlord blamed us for the mould.",
    ]
    similarity = [1.0] * len(texts)
    health, housing = labels.keywords_for([[0, 1, 2, 3], [4, 5, 6]], texts, similarity)
    assert health[0] == "mental health"
    assert "health" not in health
    for keywords in (health, housing):
        assert not naming.keyword_repeats(keywords)
    assert set(housing[:2]) == {"landlord", "mould"}


def test_keywords_leave_out_contraction_pieces_phrases_across_punctuation_and_generic_words():
    texts = [
        "I haven't eaten. Food bank again, felt awful.",
        "Haven't had a hot meal in weeks, felt ashamed at the food bank.",
        "The food bank gave me tins; haven't paid the gas.",
        "The landlord left the damp. Mould everywhere.",
        "Damp walls, mould, the landlord does nothing.",
        "Mould again and the landlord felt nothing.",
    ]
    keywords = labels.keywords_for([[0, 1, 2], [3, 4, 5]], texts, [1.0] * len(texts))
    assert "haven" not in [w for group in keywords for k in group for w in k.split()]
    assert "felt" not in keywords[0] + keywords[1]  # "felt awful" may stay: it says something
    assert "food bank" in keywords[0]
    assert "damp mould" not in keywords[1]  # across a full stop and a comma


def test_fold_joins_forms_a_reader_takes_as_one():
    assert labels.fold("sanctions") == labels.fold("sanctioned") == labels.fold("sanction")
    assert labels.fold("believe") == labels.fold("believed")
    assert labels.fold("families") == labels.fold("family")


def test_measure_prints_figures_for_a_set(capsys):
    assert naming.main([str(naming.BUILDING_SET), "--seeds", "0", "--method", "static"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["set"] == "themes_eval.csv" and result["k"] == 10
    for part in ("true_groups", "suggested"):
        assert 0.0 <= result[part]["accepted"] <= 1.0
        assert result[part]["themes"] >= 2
    assert result["suggested"]["method"] == "static"


# --- a name for a small theme, and each keyword as the theme writes it ------------------------

LETTERS = [
    "The letter never came and I felt lost.",
    "Another letter, and I felt ignored.",
    "They lost my letter and I felt small.",
    "I felt nobody read it.",
]
HOMES = [
    "The landlord lost the keys and the mould spread.",
    "Mould on the wall and the landlord lost interest.",
    "The landlord blamed us for the mould.",
    "Damp again and the landlord felt nothing.",
    "I lost sleep over the damp and mould.",
]


def test_a_theme_with_one_strict_keyword_still_gets_a_two_word_label(monkeypatch):
    texts = LETTERS + HOMES
    groups = [[0, 1, 2, 3], [4, 5, 6, 7, 8]]
    similarity = [1.0] * len(texts)
    monkeypatch.setattr(labels, "RULES", (labels.STRICT,))
    strict = labels.keywords_for(groups, texts, similarity)
    assert strict[0] == ["letter"]  # the only word twice as common inside: "Letter (theme 1)"
    monkeypatch.undo()

    keywords = labels.keywords_for(groups, texts, similarity)[0]
    assert keywords[0] == "letter"  # the strict keyword keeps its place
    assert 2 <= len(keywords) <= labels.KEYWORDS
    label = labels.label_for(keywords, 1)
    assert "theme" not in label.lower()
    assert 2 <= len(naming._label_words(label)) <= labels.LABEL_MAX_WORDS
    known = naming.whole_words(texts)
    assert not any(naming.label_defects(label, known).values())
    member_text = " ".join(t.lower() for t in LETTERS)
    assert all(k in member_text for k in keywords)


def test_the_holdouts_small_true_groups_each_get_a_label_of_two_or_three_words():
    # Twenty contributions a group: before the fallback one came out as "Half (theme 1)".
    texts, gold = naming.read_set(naming.DATA / "themes_eval_holdout.csv")
    truth = naming.true_groups(texts, gold)
    result = naming.name_scores(truth, texts, gold, naming.titles_for(gold, "themes_eval"))
    assert result["one_word"] == 0.0 and result["label_defect"] == 0.0
    again = naming.true_groups(texts, gold)
    assert [t.label for t in again.themes] == [t.label for t in truth.themes]


def test_numbered_labels_only_when_a_theme_has_no_word_to_give():
    texts = ["I did.", "We were there.", "It was.", *HOMES]
    keywords = labels.keywords_for([[0, 1, 2], [3, 4, 5, 6, 7]], texts, [1.0] * len(texts))
    assert keywords[0] == []
    assert labels.label_for(keywords[0], 1) == "Theme 1"
    assert "theme" not in labels.label_for(keywords[1], 2).lower()


SHOWN = [
    "The housing officer never came back.",
    "The housing list is years long.",
    "Our house is damp and cold.",
    "I was sanctioned again this month.",
    "Sanctioned for being late to the jobcentre.",
    "A sanction for one missed call.",
]
ELSEWHERE = [
    "My mum's house is cold.",
    "We left the house in March.",
    "The house was sold.",
    "The court date moved.",
    "Police never called back.",
    "The magistrate was fair.",
    "Court again next week.",
    "The police took my phone.",
    "My solicitor was late.",
    "Probation sent a letter.",
]


def test_each_keyword_is_shown_as_the_themes_own_members_write_it():
    texts = SHOWN + ELSEWHERE
    # The exercise as a whole says "house" more; this theme says "housing".
    everyone = " ".join(texts).lower()
    assert everyone.count("house ") > everyone.count("housing")
    groups = [[0, 1, 2], [3, 4, 5], list(range(6, 16))]
    housing, sanctions, _ = labels.keywords_for(groups, texts, [1.0] * len(texts))
    assert housing[0] == "housing" and "house" not in housing
    # Counted as one word ("sanction" x1, "sanctioned" x2), shown as most members wrote it.
    assert sanctions[0] == "sanctioned" and "sanction" not in sanctions
    assert labels.label_for(housing, 1).startswith("Housing")


# --- coverage -----------------------------------------------------------------------------------


def test_coverage_is_the_share_of_members_using_a_label_word():
    result = scores(
        # "mould" is used by members 0 and 2, "landlord" by 0 and 2: two of three covered.
        theme("Mould and landlord", ["mould", "landlord"], [0, 1, 2]),
        # "sanctioned" folds with "sanction": all three benefits members use it.
        theme("Sanctioned and weeks", ["sanctioned"], [3, 4, 5]),
    )
    assert result["coverage"] == pytest.approx((2 / 3 + 1) / 2, abs=1e-4)
