"""Seeded text edits for planting near-copies and rewrites, and the similarity measures to report.

Both corpus generators (`make_sample_crawl.py`, `make_bench_corpus.py`) use these functions:

* `edit_words` makes a syndicated near-copy: a target share of the words (5-20%) is edited the way
  sub-editors do it, in clusters rather than scattered: a paragraph cut, a trailing clause
  trimmed, a few words in one sentence swapped for synonyms or dropped, after converting UK/US
  spelling.
* `reword` makes a machine-rewritten ("spun") copy: almost every word with a synonym or a cruder
  swap is replaced, some paragraphs are dropped and some neighbours swap places.
* `edit_fraction` measures what was done (word-level diff), and `word_jaccard` / `shingle_jaccard`
  the similarities a deduplicator sees.
"""

from __future__ import annotations

import difflib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

WORD = re.compile(r"\w+(?:[’']\w+)*")
EDGE_PUNCTUATION = "“”‘’\"'()[],.:;!?"

WORD_SWAPS = Path(__file__).resolve().parent / "data" / "word_swaps.yaml"


@dataclass(frozen=True)
class WordSwaps:
    """The word tables of `data/word_swaps.yaml`."""

    synonyms: dict[str, tuple[str, ...]]
    spin: dict[str, tuple[str, ...]]
    droppable: frozenset[str]
    uk_to_us: dict[str, str]
    us_to_uk: dict[str, str]


@cache
def word_swaps() -> WordSwaps:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(WORD_SWAPS.read_text(encoding="utf-8"), Loader=loader)
    synonyms = {word: tuple(choices) for word, choices in data["synonyms"].items()}
    spin = {**synonyms, **{word: tuple(choices) for word, choices in data["spin"].items()}}
    uk_to_us = dict(data["uk_to_us"])
    return WordSwaps(
        synonyms=synonyms,
        spin=spin,
        droppable=frozenset(data["droppable"]),
        uk_to_us=uk_to_us,
        us_to_uk={us: uk for uk, us in uk_to_us.items()},
    )


def words(text: str) -> list[str]:
    """Lower-cased word tokens of `text` (letters, digits and inner apostrophes)."""
    return WORD.findall(text.lower())


def shingles(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    """The set of word n-grams of `tokens` (the whole sequence when it is shorter than n)."""
    if len(tokens) < n:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def jaccard(a: set[tuple[str, ...]] | set[str], b: set[tuple[str, ...]] | set[str]) -> float:
    """Jaccard similarity of two sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def word_jaccard(text_a: str, text_b: str) -> float:
    """Jaccard similarity of the sets of lower-cased words."""
    return jaccard(set(words(text_a)), set(words(text_b)))


def shingle_jaccard(text_a: str, text_b: str, n: int = 5) -> float:
    """Jaccard similarity of the sets of lower-cased word n-grams (5 by default, as in MinHash)."""
    return jaccard(shingles(words(text_a), n), shingles(words(text_b), n))


def edit_fraction(original: str, edited: str) -> float:
    """Share of the original's words that a diff does not find in the edited text.

    Lines are aligned first and words are diffed only inside changed blocks of lines, which is
    exact for edits that keep the order of lines and words (the edits made here) and fast.
    """
    total = len(words(original))
    if not total:
        return 0.0
    before, after = original.split("\n"), edited.split("\n")
    lines = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    missing = 0
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag == "equal":
            continue
        old = words(" ".join(before[i1:i2]))
        new = words(" ".join(after[j1:j2]))
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        missing += len(old) - sum(block.size for block in matcher.get_matching_blocks())
    return missing / total


def _split_token(token: str) -> tuple[str, str, str]:
    """Split a whitespace token into leading punctuation, core word and trailing punctuation."""
    start, end = 0, len(token)
    while start < end and token[start] in EDGE_PUNCTUATION:
        start += 1
    while end > start and token[end - 1] in EDGE_PUNCTUATION:
        end -= 1
    return token[:start], token[start:end], token[end:]


def _match_case(replacement: str, core: str) -> str:
    if core.isupper() and len(core) > 1:
        return replacement.upper()
    if core[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def convert_spelling(line: str, table: dict[str, str]) -> str:
    """Swap UK/US spellings word by word (`table` is `uk_to_us` or `us_to_uk` of `word_swaps()`)."""
    tokens = line.split(" ")
    for index, token in enumerate(tokens):
        lead, core, trail = _split_token(token)
        swapped = table.get(core.lower())
        if swapped:
            tokens[index] = lead + _match_case(swapped, core) + trail
    text = " ".join(tokens)
    if table is word_swaps().uk_to_us:
        return re.sub(r"(?<=\d) per cent\b", " percent", text)
    return re.sub(r"(?<=\d) percent\b", " per cent", text)


def swap_words(
    line: str, rng: random.Random, *, table: dict[str, tuple[str, ...]], limit: int
) -> tuple[str, int]:
    """Swap up to `limit` words of `line` found in `table` (and drop filler words when editing
    with the plain synonyms); return the new line and the number of words changed."""
    swaps = word_swaps()
    tokens = line.split(" ")
    positions = list(range(len(tokens)))
    rng.shuffle(positions)
    edits = 0
    dropped: set[int] = set()
    for index in positions:
        if edits >= limit:
            break
        lead, core, trail = _split_token(tokens[index])
        lower = core.lower()
        if lower in table:
            tokens[index] = lead + _match_case(rng.choice(table[lower]), core) + trail
            edits += 1
        elif table is swaps.synonyms and lower in swaps.droppable and index and not lead + trail:
            dropped.add(index)
            edits += 1
    kept = [token for index, token in enumerate(tokens) if index not in dropped]
    return " ".join(kept), edits


def _trim_clause(line: str) -> tuple[str, int] | None:
    """Cut a sentence's last clause (from its last comma); None when there is none to cut."""
    if not line.endswith(".") or line.endswith(("”.", "’.")):
        return None
    cut = line.rfind(", ")
    if cut < len(line) // 3:
        return None
    removed = len(line[cut + 2 :].split(" "))
    return line[:cut] + ".", removed


def edit_words(
    lines: Sequence[str],
    rng: random.Random,
    *,
    fraction: float,
    spelling: dict[str, str] | None = None,
    editable: Sequence[bool] | None = None,
) -> list[str | None]:
    """A near-copy of `lines` with about `fraction` of the words edited, in clusters.

    Args:
        lines: The text, one paragraph per item (the first is the headline and never cut).
        rng: The seeded random source (its state advances).
        fraction: Target share of edited words; measure the result with `edit_fraction`.
        spelling: Optional UK/US spelling table applied to every line first.
        editable: Which lines may be edited (all by default).

    Returns:
        The edited lines, None where a paragraph was cut.
    """
    out: list[str | None] = [convert_spelling(ln, spelling) if spelling else ln for ln in lines]
    total = sum(len(line.split(" ")) for line in lines)
    done = 0
    if spelling:
        done = round(edit_fraction("\n".join(lines), "\n".join(str(ln) for ln in out)) * total)
    target = round(fraction * total)
    candidates = [i for i in range(len(out)) if editable is None or editable[i]]
    touched: set[int] = set()
    for _ in range(200):
        if done >= target or not candidates:
            break
        index = rng.choice(candidates)
        line = out[index]
        if line is None:
            continue
        operation = rng.choices(("cut", "trim", "swap"), weights=(2, 3, 2))[0]
        size = len(line.split(" "))
        if operation == "cut" and index > len(out) // 2 and done + size <= target + 3:
            out[index], done = None, done + size
        elif operation == "trim" and (trim := _trim_clause(line)) and done + trim[1] <= target + 3:
            out[index], done = trim[0], done + trim[1]
        elif operation == "swap" and index not in touched:
            limit = min(target - done, max(1, size // 3))
            out[index], edits = swap_words(line, rng, table=word_swaps().synonyms, limit=limit)
            touched.add(index)
            done += edits
    return out


def reword(
    lines: Sequence[str], rng: random.Random, *, fixed: Sequence[bool]
) -> tuple[list[str], list[int]]:
    """A spun rewrite of `lines`: almost every swappable word replaced, some paragraphs dropped
    and some swapped with their neighbour. Lines flagged `fixed` (headings) stay in place.

    Returns:
        The rewritten lines and, for each, the index of the line of `lines` it came from.
    """
    order = [i for i in range(len(lines)) if fixed[i] or rng.random() > 0.15]
    for pos in range(len(order) - 1):
        a, b = order[pos], order[pos + 1]
        if not fixed[a] and not fixed[b] and rng.random() < 0.25:
            order[pos], order[pos + 1] = b, a
    table = word_swaps().spin
    spun = [swap_words(lines[i], rng, table=table, limit=len(lines[i]))[0] for i in order]
    return spun, order
