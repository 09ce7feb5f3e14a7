"""Money is integer pence everywhere; these turn it into words people read."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_POUNDS = re.compile(r"^(?P<whole>\d{1,7})(?:\.(?P<part>\d+))?$")


def pounds(pence: int | None) -> str:
    """1234550 -> "£12,345.50"; whole pounds drop the pence: 30000 -> "£300"."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{sign}£{whole:,}" + (f".{part:02d}" if part else "")


def parse_pounds(text: str) -> int:
    """'£300', '300', '12.50', '1,234.5' → pence. No floats. Refuses negative, zero,
    more than two decimal places and anything that isn't an amount of money."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if cleaned.startswith("-") or cleaned.startswith("£-"):
        raise ValidationError("Enter an amount more than £0, like 300 or 12.50.")
    cleaned = cleaned.removeprefix("£")
    if not cleaned:
        raise ValidationError("Enter an amount, like 300 or 12.50.")
    match = _POUNDS.match(cleaned)
    if match is None:
        raise ValidationError("Enter an amount in pounds, like 300 or 12.50.")
    part = match.group("part")
    if part is not None and len(part) > 2:
        raise ValidationError("Use no more than 2 numbers after the point, like 12.50.")
    pence = int(match.group("whole")) * 100 + int((part or "0").ljust(2, "0"))
    if pence <= 0:
        raise ValidationError("Enter an amount more than £0, like 300 or 12.50.")
    return pence
