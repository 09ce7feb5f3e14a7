"""The statistics of area insight against known values and the formulas worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.insight import stats


def test_wilson_matches_the_published_value_for_8_of_10():
    estimate = stats.wilson(8, 10)
    assert estimate.value == 0.8
    assert estimate.low == pytest.approx(0.4902, abs=1e-4)
    assert estimate.high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_at_the_edges_and_with_nobody():
    none = stats.wilson(0, 20)
    assert none.low == 0 and none.value == 0
    assert none.high == pytest.approx(0.1611, abs=1e-4)
    everyone = stats.wilson(20, 20)
    assert everyone.high == 1 and everyone.low == pytest.approx(0.8389, abs=1e-4)
    assert stats.wilson(0, 0) is None
    with pytest.raises(ValueError):
        stats.wilson(11, 10)


def test_rate_ratio_is_the_katz_log_interval():
    # 30 of 100 against 60 of 150, worked by hand.
    ratio = (30 / 100) / (60 / 150)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 60 - 1 / 150)
    estimate = stats.rate_ratio(30, 100, 60, 150)
    assert estimate.value == pytest.approx(0.75)
    assert estimate.low == pytest.approx(ratio * math.exp(-1.959964 * se), rel=1e-6)
    assert estimate.high == pytest.approx(ratio * math.exp(1.959964 * se), rel=1e-6)
    assert not estimate.excludes_one()  # 0.75 with these numbers could be chance


def test_a_ratio_needs_a_count_on_both_sides():
    assert stats.rate_ratio(0, 50, 10, 100) is None
    assert stats.rate_ratio(5, 50, 0, 100) is None
    assert stats.representation(0, 100, 50, 1000) is None
    assert stats.representation(10, 100, 0, 1000) is None


def test_representation_is_share_in_services_over_share_of_population():
    # 120 of 500 people in services are in a group that is 8,000 of 103,000 residents.
    estimate = stats.representation(120, 500, 8000, 103000)
    expected = (120 / 500) / (8000 / 103000)
    se = math.sqrt(1 / 120 - 1 / 500 + 1 / 8000 - 1 / 103000)
    assert estimate.value == pytest.approx(expected)
    assert estimate.low == pytest.approx(expected * math.exp(-1.959964 * se), rel=1e-6)
    assert estimate.high == pytest.approx(expected * math.exp(1.959964 * se), rel=1e-6)
    assert estimate.excludes_one()


@settings(max_examples=30)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_wilson_interval_holds_the_estimate_and_stays_in_0_to_1(kn):
    k, n = kn
    estimate = stats.wilson(k, n)
    assert 0.0 <= estimate.low <= estimate.value <= estimate.high <= 1.0
