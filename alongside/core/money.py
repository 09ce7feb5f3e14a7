"""Money is integer pence everywhere; these turn it into words people read."""

from __future__ import annotations


def pounds(pence: int | None) -> str:
    """1234550 -> "£12,345.50"; whole pounds drop the pence: 30000 -> "£300"."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{sign}£{whole:,}" + (f".{part:02d}" if part else "")
