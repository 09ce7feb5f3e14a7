"""The few statistics area insight uses, in plain Python (math only), each with a 95% interval.

- `wilson(k, n)`: a proportion (k of n) with its Wilson score interval, which behaves well for
  small groups and for rates near 0 or 1, where the simple "plus or minus 1.96 standard errors"
  interval runs outside 0 to 1.
- `rate_ratio(k1, n1, k0, n0)`: a group's rate divided by everyone else's, with the Katz log
  interval: exp(log RR ± 1.96 √(1/k1 − 1/n1 + 1/k0 − 1/n0)).
- `representation(a, n, p_group, p_total)`: a group's share of the people in services divided
  by its share of the population, with the same log method: variance 1/a − 1/N + 1/P_g − 1/P.

A ratio needs a count above zero on both sides: with a zero the log is undefined and the
interval would be infinite, so these return None rather than a figure that misleads (the page
says "not enough to compare").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float

    def excludes_one(self) -> bool:
        """The interval lies wholly above or wholly below parity."""
        return self.low > 1.0 or self.high < 1.0


def wilson(k: int, n: int, z: float = Z95) -> Estimate | None:
    """The proportion k/n with its Wilson score interval; None when n is 0."""
    if n <= 0:
        return None
    if k < 0 or k > n:
        raise ValueError("k must lie between 0 and n")
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = (z / (1 + z2 / n)) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # Rounding can nudge an end a hair past the estimate or past 0 and 1.
    low = max(0.0, min(p, centre - half))
    high = min(1.0, max(p, centre + half))
    return Estimate(p, low, high)


def _log_interval(ratio: float, variance: float, z: float) -> Estimate:
    spread = z * math.sqrt(max(variance, 0.0))
    log_ratio = math.log(ratio)
    return Estimate(ratio, math.exp(log_ratio - spread), math.exp(log_ratio + spread))


def rate_ratio(k1: int, n1: int, k0: int, n0: int, z: float = Z95) -> Estimate | None:
    """The rate k1/n1 divided by k0/n0 (a group against everyone else), Katz log interval.
    None when either count or either denominator is 0."""
    if min(k1, k0) <= 0 or min(n1, n0) <= 0:
        return None
    ratio = (k1 / n1) / (k0 / n0)
    variance = 1 / k1 - 1 / n1 + 1 / k0 - 1 / n0
    return _log_interval(ratio, variance, z)


def representation(a: int, n: int, p_group: int, p_total: int, z: float = Z95) -> Estimate | None:
    """(a/n) / (p_group/p_total): the group's share of the people in services against its
    share of the population. None when any of the four is 0."""
    if min(a, n, p_group, p_total) <= 0:
        return None
    ratio = (a / n) / (p_group / p_total)
    variance = 1 / a - 1 / n + 1 / p_group - 1 / p_total
    return _log_interval(ratio, variance, z)
