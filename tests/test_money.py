from hypothesis import given
from hypothesis import strategies as st

from alongside.core.money import pounds


def test_pounds_reads_naturally():
    assert pounds(30000) == "£300"
    assert pounds(1234550) == "£12,345.50"
    assert pounds(5) == "£0.05"
    assert pounds(0) == "£0"
    assert pounds(-250) == "-£2.50"
    assert pounds(None) == ""


@given(st.integers(min_value=0, max_value=10**12))
def test_pounds_round_trips_to_the_same_pence(pence):
    text = pounds(pence).lstrip("£").replace(",", "")
    whole, _, part = text.partition(".")
    assert int(whole) * 100 + int(part or 0) == pence
