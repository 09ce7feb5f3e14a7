"""Check-in instruments are data, not code (DESIGN.md, "Measurement instruments").

Each instrument is a versioned JSON definition: items, scales, anchors, scoring, thresholds,
reference values and licence. Definitions shipped with Alongside live beside this file
(`ons4.json`); an organisation can load its own (for example one it holds a licence for),
kept in `coaching.models.Instrument`. `validate` checks a definition and returns every
problem in plain English with the JSON path it is at; docs/instruments.md describes the
format. The one link a file may carry, `licence.url`, must be an http(s) web address: a
`javascript:` or `data:` link is refused when the file is loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_BYTES = 100 * 1024
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")
DIRECTIONS = ("higher_is_better", "lower_is_better")
SCORING_METHODS = ("per_item", "total")

TOP_KEYS = {"key", "version", "name", "description", "licence", "items", "scoring"}
TOP_REQUIRED = ("key", "version", "name", "licence", "items", "scoring")
LICENCE_KEYS = {"name", "url", "holder"}
ITEM_KEYS = {"key", "label", "text", "scale", "direction", "thresholds", "reference"}
ITEM_REQUIRED = ("key", "text", "scale", "direction", "thresholds")
SCALE_KEYS = {"min", "max", "anchors"}
THRESHOLD_KEYS = {"min", "max", "label"}
REFERENCE_KEYS = {"mean", "source", "period"}
SCORING_KEYS = {"method", "items"}


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    text: str
    min: int
    max: int
    anchors: dict[int, str]
    direction: str
    thresholds: tuple[tuple[int, int, str], ...]
    reference_mean: float | None
    reference_source: str
    reference_period: str

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)

    @property
    def low_anchor(self) -> str:
        return self.anchors.get(self.min, "")

    @property
    def high_anchor(self) -> str:
        return self.anchors.get(self.max, "")

    def band(self, value: int | None) -> str:
        """The threshold band a score falls in ("High", "Low" ...), or "" if none."""
        if value is None:
            return ""
        for low, high, label in self.thresholds:
            if low <= value <= high:
                return label
        return ""


@dataclass(frozen=True)
class Definition:
    """A validated instrument definition, shaped for templates and services."""

    key: str
    version: str
    name: str
    description: str
    licence_name: str
    licence_url: str
    licence_holder: str
    items: tuple[Item, ...]
    scoring: str
    raw: dict[str, Any]
    shipped: bool = False

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)


class InstrumentError(ValueError):
    """A definition that does not validate; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- validation --------------------------------------------------------------------------


def is_web_address(url: str) -> bool:
    """An http(s) address of a site, such as https://example.org/licence: the only kind of
    link an instrument file may carry (never javascript:, data:, file: or a bare path)."""
    if not isinstance(url, str):
        return False
    url = url.strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _unknown(obj: dict[str, Any], allowed: set[str], path: str, problems: list[str]) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            problems.append(
                f"{where} is not something an instrument file can have "
                f"(allowed here: {', '.join(sorted(allowed))})"
            )


def _missing(obj: dict[str, Any], required: tuple[str, ...], path: str, problems: list[str]):
    for key in required:
        if key not in obj:
            where = f"{path}.{key}" if path else key
            problems.append(f"{where} is missing")


def validate(data: Any) -> list[str]:
    """Every problem with an instrument definition, in plain English with its JSON path.
    An empty list means the definition is good to load."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["the file must hold one JSON object, starting with { and ending with }"]
    _unknown(data, TOP_KEYS, "", problems)
    _missing(data, TOP_REQUIRED, "", problems)

    key = data.get("key")
    if "key" in data and not (_text(key) and set(key) <= KEY_CHARS and len(key) <= 40):
        problems.append(
            "key must be a short name of lowercase letters, digits, - or _ "
            '(40 characters at most), such as "swemwbs"'
        )
    version = data.get("version")
    if "version" in data and not (
        isinstance(version, str) and version.strip() and len(version) <= 20
    ):
        problems.append('version must be text of 20 characters at most, such as "1" or "2024-1"')
    if "name" in data and not (_text(data["name"]) and len(data["name"]) <= 200):
        problems.append("name must be text of 200 characters at most")
    if "description" in data and not isinstance(data["description"], str):
        problems.append("description must be text")

    if "licence" in data:
        _validate_licence(data["licence"], problems)

    item_keys: list[str] = []
    if "items" in data:
        items = data["items"]
        if not isinstance(items, list) or not items:
            problems.append("items must be a list with at least one item")
        else:
            seen: set[str] = set()
            for index, item in enumerate(items):
                item_key = _validate_item(item, f"items[{index}]", problems)
                if item_key is None:
                    continue
                if item_key in seen:
                    problems.append(
                        f'items[{index}].key "{item_key}" is used by an earlier item; '
                        "each item needs its own key"
                    )
                seen.add(item_key)
                item_keys.append(item_key)

    if "scoring" in data:
        _validate_scoring(data["scoring"], item_keys, problems)
    return problems


def _validate_licence(licence: Any, problems: list[str]) -> None:
    if not isinstance(licence, dict):
        problems.append("licence must be an object with name, url and holder")
        return
    _unknown(licence, LICENCE_KEYS, "licence", problems)
    if not _text(licence.get("name")):
        problems.append("licence.name is missing: say which licence lets you use this instrument")
    if not _text(licence.get("holder")):
        problems.append("licence.holder is missing: say who holds the copyright")
    if "url" in licence:
        url = licence["url"]
        if not isinstance(url, str):
            problems.append("licence.url must be text (a web address)")
        elif url.strip() and not is_web_address(url):
            problems.append(
                "licence.url must be a web address starting with https:// or http://, "
                'such as "https://example.org/licence". Other kinds of link (javascript:, '
                "data:, file: and the like) are not allowed, because they could run code or "
                "open something unexpected when someone clicks the licence link"
            )


def _validate_item(item: Any, path: str, problems: list[str]) -> str | None:
    if not isinstance(item, dict):
        problems.append(f"{path} must be an object")
        return None
    _unknown(item, ITEM_KEYS, path, problems)
    _missing(item, ITEM_REQUIRED, path, problems)
    key = item.get("key")
    good_key = _text(key) and set(key) <= KEY_CHARS and len(key) <= 40
    if "key" in item and not good_key:
        problems.append(f"{path}.key must be lowercase letters, digits, - or _")
    if "text" in item and not _text(item["text"]):
        problems.append(f"{path}.text must be the question, as text")
    if "label" in item and not _text(item["label"]):
        problems.append(f"{path}.label must be text")
    if "direction" in item and item["direction"] not in DIRECTIONS:
        problems.append(f'{path}.direction must be "higher_is_better" or "lower_is_better"')

    low = high = None
    scale = item.get("scale")
    if "scale" in item:
        low, high = _validate_scale(scale, f"{path}.scale", problems)
    if "thresholds" in item:
        _validate_thresholds(item["thresholds"], low, high, f"{path}.thresholds", problems)
    if "reference" in item:
        _validate_reference(item["reference"], low, high, f"{path}.reference", problems)
    return key if good_key else None


def _validate_scale(scale: Any, path: str, problems: list[str]) -> tuple[int | None, int | None]:
    if not isinstance(scale, dict):
        problems.append(f"{path} must be an object with min, max and anchors")
        return None, None
    _unknown(scale, SCALE_KEYS, path, problems)
    low, high = scale.get("min"), scale.get("max")
    if not _is_int(low):
        problems.append(f"{path}.min must be a whole number")
        low = None
    if not _is_int(high):
        problems.append(f"{path}.max must be a whole number bigger than min")
        high = None
    elif low is not None and high <= low:
        problems.append(f"{path}.max must be a whole number bigger than min")
        high = None
    if low is not None and high is not None and high - low > 100:
        problems.append(f"{path} may have at most 101 points (from min to max)")
        high = None
    anchors = scale.get("anchors", {})
    if not isinstance(anchors, dict):
        problems.append(f'{path}.anchors must be an object such as {{"0": "Not at all"}}')
        return low, high
    for point, words in anchors.items():
        where = f'{path}.anchors["{point}"]'
        try:
            number = int(point)
        except ValueError:
            problems.append(f"{where}: anchors must be keyed by a whole number on the scale")
            continue
        if low is not None and high is not None and not low <= number <= high:
            problems.append(f"{where} is outside the scale ({low} to {high})")
        if not _text(words):
            problems.append(f"{where} must be the words shown at that point")
    return low, high


def _validate_thresholds(
    thresholds: Any, low: int | None, high: int | None, path: str, problems: list[str]
) -> None:
    if not isinstance(thresholds, list) or not thresholds:
        problems.append(f"{path} must be a list of bands, each with min, max and label")
        return
    bands: list[tuple[int, int, int]] = []
    for index, band in enumerate(thresholds):
        where = f"{path}[{index}]"
        if not isinstance(band, dict):
            problems.append(f"{where} must be an object with min, max and label")
            continue
        _unknown(band, THRESHOLD_KEYS, where, problems)
        if not _text(band.get("label")):
            problems.append(f'{where}.label must be text, such as "High"')
        b_low, b_high = band.get("min"), band.get("max")
        if not (_is_int(b_low) and _is_int(b_high)) or b_high < b_low:
            problems.append(f"{where} needs whole-number min and max, with max not below min")
            continue
        bands.append((b_low, b_high, index))
    if low is None or high is None or len(bands) != len(thresholds):
        return
    covered: dict[int, int] = {}
    for b_low, b_high, index in bands:
        if b_low < low or b_high > high:
            problems.append(f"{path}[{index}] goes outside the scale ({low} to {high})")
        for value in range(max(b_low, low), min(b_high, high) + 1):
            if value in covered:
                problems.append(
                    f"{path}[{index}] overlaps {path}[{covered[value]}] at {value}: "
                    "each score must fall in exactly one band"
                )
                break
            covered[value] = index
    gaps = [value for value in range(low, high + 1) if value not in covered]
    if gaps:
        shown = ", ".join(str(v) for v in gaps[:10])
        problems.append(f"{path} do not cover the whole scale: no band for {shown}")


def _validate_reference(
    reference: Any, low: int | None, high: int | None, path: str, problems: list[str]
) -> None:
    if not isinstance(reference, dict):
        problems.append(f"{path} must be an object with mean, source and period")
        return
    _unknown(reference, REFERENCE_KEYS, path, problems)
    mean = reference.get("mean")
    if not _is_number(mean):
        problems.append(f"{path}.mean must be a number")
    elif low is not None and high is not None and not low <= mean <= high:
        problems.append(f"{path}.mean is outside the scale ({low} to {high})")
    for part in ("source", "period"):
        if not _text(reference.get(part)):
            problems.append(f"{path}.{part} is missing: say where the figure comes from and when")


def _validate_scoring(scoring: Any, item_keys: list[str], problems: list[str]) -> None:
    if not isinstance(scoring, dict):
        problems.append('scoring must be an object such as {"method": "per_item"}')
        return
    _unknown(scoring, SCORING_KEYS, "scoring", problems)
    method = scoring.get("method")
    if method not in SCORING_METHODS:
        problems.append('scoring.method must be "per_item" or "total"')
    if method == "total":
        keys = scoring.get("items")
        if not isinstance(keys, list) or not keys:
            problems.append("scoring.items must list the item keys that add up to the total")
        else:
            for index, key in enumerate(keys):
                if key not in item_keys:
                    problems.append(f'scoring.items[{index}] "{key}" is not one of the items')
    elif "items" in scoring:
        problems.append('scoring.items is only used when scoring.method is "total"')


# --- loading -----------------------------------------------------------------------------


def without_unsafe_link(data: dict[str, Any]) -> dict[str, Any]:
    """The definition without its licence link if that is not a web address. Files are
    refused for such a link when loaded (`validate`); this keeps a row stored before that
    check showing its licence, without the link, rather than failing the page."""
    licence = data.get("licence")
    if not isinstance(licence, dict):
        return data
    url = licence.get("url")
    if not isinstance(url, str) or not url.strip() or is_web_address(url):
        return data
    return {**data, "licence": {k: v for k, v in licence.items() if k != "url"}}


def build(data: dict[str, Any], *, shipped: bool = False) -> Definition:
    """A Definition from a dict; raises InstrumentError listing every problem."""
    if not shipped and isinstance(data, dict):
        data = without_unsafe_link(data)
    problems = validate(data)
    if problems:
        raise InstrumentError(problems)
    items = []
    for raw in data["items"]:
        scale = raw["scale"]
        reference = raw.get("reference") or {}
        items.append(
            Item(
                key=raw["key"],
                label=raw.get("label") or raw["key"].replace("_", " ").capitalize(),
                text=raw["text"],
                min=scale["min"],
                max=scale["max"],
                anchors={int(k): v for k, v in scale.get("anchors", {}).items()},
                direction=raw["direction"],
                thresholds=tuple((t["min"], t["max"], t["label"]) for t in raw["thresholds"]),
                reference_mean=reference.get("mean"),
                reference_source=reference.get("source", ""),
                reference_period=reference.get("period", ""),
            )
        )
    licence = data["licence"]
    return Definition(
        key=data["key"],
        version=data["version"],
        name=data["name"],
        description=data.get("description", ""),
        licence_name=licence["name"],
        licence_url=licence.get("url", "").strip(),
        licence_holder=licence["holder"],
        items=tuple(items),
        scoring=data["scoring"]["method"],
        raw=data,
        shipped=shipped,
    )


# A file with thousands of problems is a wrong file: the first hundred say enough.
MAX_PROBLEMS = 100


def parse(raw: bytes) -> tuple[dict[str, Any] | None, list[str]]:
    """Read an uploaded file: size-limited, must parse as JSON (whatever its name says),
    then validated. Returns (data, []) or (None, problems)."""
    if len(raw) > MAX_UPLOAD_BYTES:
        return None, [f"the file is too big: instrument files can be {MAX_UPLOAD_BYTES // 1024} KB"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, ["the file is not text: save it as JSON in UTF-8 and try again"]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [
            f"the file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ]
    except RecursionError:
        return None, ["the file nests lists or objects too deeply to be an instrument"]
    except ValueError:  # an integer of more digits than Python will read
        return None, ["the file holds a number too long to be part of an instrument"]
    try:
        # A JSON escape such as \ud800 makes a string that is not text: it could be stored on
        # SQLite, then break every page that shows it.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return None, ["the file holds an escape (\\ud800 to \\udfff) that is not a character"]
    problems = validate(data)
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], f"and {more:,} more problems: fix these first"]
    return (None, problems) if problems else (data, [])


@cache
def shipped() -> tuple[Definition, ...]:
    """Every definition shipped in this package, validated (a bad one fails loudly here)."""
    found = []
    for path in sorted(HERE.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        try:
            found.append(build(data, shipped=True))
        except InstrumentError as error:
            raise ShippedInstrumentError(path.name, error.problems) from None
    return tuple(found)


class ShippedInstrumentError(RuntimeError):
    def __init__(self, filename: str, problems: list[str]) -> None:
        super().__init__(f"{filename}: " + "; ".join(problems))


def shipped_keys() -> set[str]:
    return {definition.key for definition in shipped()}


def available(organisation: Any) -> list[Definition]:
    """The shipped instruments plus those the organisation loaded (one query)."""
    from ..models import Instrument

    found = list(shipped())
    if organisation is not None:
        rows = Instrument.objects.filter(organisation=organisation).order_by("key", "loaded_at")
        found += [build(row.definition) for row in rows]
    return found


def latest(definitions: list[Definition], key: str) -> Definition | None:
    """The most recently loaded version of `key` among `definitions` (list order)."""
    matching = [d for d in definitions if d.key == key]
    return matching[-1] if matching else None


def find(definitions: list[Definition], key: str, version: str) -> Definition | None:
    return next((d for d in definitions if d.key == key and d.version == version), None)
