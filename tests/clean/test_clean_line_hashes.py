"""The numba line hashes and word counts of `site_boilerplate` against plain references, and the
per-document and run-length kernels against numpy."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from pipeline.clean.frequent_pairs import frequent_runs
from pipeline.clean.line_hashes import line_hashes
from pipeline.clean.site_boilerplate import distinct_in_documents

LINES = [
    "",
    "a",
    "AbC",
    "Hello World",
    "ÉCOLE Française",  # non-ASCII: lower-cased by Arrow
    "İstanbul ΣΊΣΥΦΟΣ",  # lower-casing changes the length in bytes
    "Kelvin sign K and ß",
    "[Menu] @Home ^Top `code` {x} Z_a",  # bytes next to A-Z and a-z stay as they are
    "  spaces   inside  ",
    "x" * 7,
    "Y" * 8,
    "tail of 12 b",
    "thirty-one bytes of TEXT here!!",
    "THIRTY-TWO BYTES OF TEXT HERE!!!",
    "A much longer line, " * 9 + "with all the lanes of XXH64 and a ragged tail: 1234567",
    "emoji 😀 in the MIDDLE of a line that is long enough to use every stripe of the hash",
]


def reference_hash(line: str) -> int:
    """XXH64 of the line lower-cased as Arrow does it (utf8proc: İ and final Σ differ from
    Python's `str.lower`)."""
    return xxhash.xxh64_intdigest(pc.utf8_lower(pa.scalar(line)).as_py().encode("utf-8"))


def test_line_hashes_are_xxh64_of_the_lower_cased_line() -> None:
    lines = pa.array(["skipped"] + LINES)
    mask = np.ones(len(lines), dtype=bool)
    mask[0] = False
    hashes = line_hashes(lines, mask)
    assert hashes[0] == 0
    assert hashes[1:].tolist() == [reference_hash(line) for line in LINES]


def test_line_hashes_of_a_slice_and_of_random_text() -> None:
    rng = np.random.default_rng(3)
    alphabet = list("abcXYZ @[`{09.,é€😀\t")
    lines = ["".join(rng.choice(alphabet, rng.integers(0, 90))) for _ in range(400)]
    array = pa.array(["before"] + lines).slice(1)
    mask = rng.random(len(lines)) < 0.8
    expected = [reference_hash(line) if keep else 0 for line, keep in zip(lines, mask, strict=True)]
    assert line_hashes(array, mask).tolist() == expected


def test_distinct_in_documents_matches_a_lexsort() -> None:
    rng = np.random.default_rng(11)
    high = np.uint64(1 << 63)  # pairs on both sides of 2**63: compared as unsigned
    for documents in (40, 700, 1):  # ~50, ~3 and 2,000 lines per document
        doc = np.sort(rng.integers(0, documents, 2_000))
        pair = rng.integers(1, 30, 2_000).astype(np.uint64) + high * rng.integers(0, 2, 2_000)
        order = np.lexsort((pair, doc))
        first = np.ones(order.size, dtype=bool)
        first[1:] = (doc[order][1:] != doc[order][:-1]) | (pair[order][1:] != pair[order][:-1])
        assert distinct_in_documents(doc, pair).tolist() == order[first].tolist()
    assert distinct_in_documents(doc[:0], pair[:0]).size == 0


def test_frequent_runs_match_numpy_unique() -> None:
    rng = np.random.default_rng(13)
    values = np.sort(rng.integers(0, 500, 5_000).astype(np.uint64))
    unique, counts = np.unique(values, return_counts=True)
    for min_count in (1, 10, 14):
        chosen, chosen_counts, runs = frequent_runs(values, min_count)
        assert chosen.tolist() == unique[counts >= min_count].tolist()
        assert chosen_counts.tolist() == counts[counts >= min_count].tolist()
        assert runs == unique.size
    chosen, _, runs = frequent_runs(values[:0], 2)
    assert chosen.size == 0 and runs == 0


def test_line_hashes_lower_case_every_script_like_arrow() -> None:
    """Lines of random code points from ranges with case (Latin, Greek, Cyrillic, Armenian,
    Georgian, Cherokee, Glagolitic, fullwidth, beyond the BMP), after ASCII or not, compared with
    Arrow's `utf8_lower`."""
    rng = np.random.default_rng(17)
    ranges = [(0x41, 0x7B), (0xC0, 0x250), (0x370, 0x530), (0x531, 0x557), (0x10A0, 0x10D0),
              (0x13A0, 0x13F6), (0x1E00, 0x2000), (0x2126, 0x2184), (0x2C00, 0x2C80),
              (0xFF21, 0xFF5B), (0x10400, 0x10450), (0x1F600, 0x1F610)]  # fmt: skip
    lines = []
    for _ in range(2_000):
        low, high = ranges[rng.integers(0, len(ranges))]
        points = rng.integers(low, high, rng.integers(1, 70))
        lines.append("".join(chr(p) for p in points) + " tail")
    array = pa.array(lines)
    hashes = line_hashes(array, np.ones(len(lines), dtype=bool))
    assert hashes.tolist() == [reference_hash(line) for line in lines]
