"""`line_cohesion`: which words a line shares with its page, on page shapes and on the hash table's
edge cases (the whole matrix is also checked against a plain reference in
`test_clean_line_context`)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow as pa

from pipeline.clean.line_cohesion import (
    COHESION_FEATURES,
    IN_PROSE,
    ON_PAGE,
    WORD_LINES,
    _page_scores,
    cohesion_features,
    page_word_keys,
)
from pipeline.clean.url_words import url_word_keys

PAGE = [
    "Careers",
    "Sign in",
    "Track your order",
    "Harbour wall repairs delayed until autumn",
    "The harbour board said the repairs to the north wall will not start before the autumn.",
    "Why the foundations matter",
    "Engineers found that the foundations of the wall had moved during the winter storms.",
    "Contact us",
]
PROSE_LINES = {4, 6}


def features(
    pages: list[list[str]],
    prose: set[tuple[int, int]],
    hit: frozenset[tuple[int, int]] = frozenset(),
    urls: list[str | None] | None = None,
) -> np.ndarray:
    """The cohesion rows (lines x features) of pages given as lists of non-blank lines; `prose`
    and `hit` name lines as (page, line)."""
    return features_and_counts(pages, prose, hit, urls)[0]


def features_and_counts(
    pages: list[list[str]],
    prose: set[tuple[int, int]],
    hit: frozenset[tuple[int, int]] = frozenset(),
    urls: list[str | None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`features`, and per line the distinct words that are URL words and its distinct words."""
    texts = [line for page in pages for line in page]
    doc = np.array([d for d, page in enumerate(pages) for _ in page], dtype=np.int64)
    at = [(d, i) for d, page in enumerate(pages) for i in range(len(page))]
    out = np.zeros((len(COHESION_FEATURES), len(texts)), dtype=np.float32)
    url_keys, url_offsets = url_word_keys(None if urls is None else pa.array(urls), len(pages))
    url_hits, distinct = cohesion_features(
        out,
        pa.array(texts),
        np.arange(len(texts)),
        doc,
        np.array([key in prose for key in at]),
        np.array([key in hit for key in at]),
        url_keys,
        url_offsets,
    )
    return out.T, url_hits, distinct


def keys_of(text: str) -> list[int]:
    data = np.frombuffer(text.encode(), dtype=np.uint8)
    keys = np.zeros(data.size + 1, dtype=np.uint64)
    line_end = np.zeros(1, dtype=np.int64)
    page_word_keys(data, np.array([0]), np.array([data.size]), 0, 1, keys, line_end)
    return keys[: line_end[0]].tolist()


def test_headings_share_words_with_the_prose_and_menu_entries_do_not() -> None:
    rows = features([PAGE], {(0, i) for i in PROSE_LINES})
    for menu in (0, 1, 2, 7):
        assert rows[menu].tolist() == [0.0, 0.0, 0.0], PAGE[menu]
    headline, subheading = rows[3], rows[5]
    # harbour, wall, repairs and autumn (not "delayed", "until") are in the first paragraph
    assert headline[IN_PROSE] == np.float32(4 / 6)
    assert subheading[IN_PROSE] == np.float32(2 / 4)  # "the", "foundations"
    # A paragraph counts the other paragraph, not itself.
    assert 0 < rows[4][IN_PROSE] < 1 and rows[4][ON_PAGE] >= rows[4][IN_PROSE]


def test_url_words_are_counted_per_line() -> None:
    url = "https://example.com/2025/03/Harbour-Wall_repairs-delayed.html?ref=autumn"
    prose = {(0, i) for i in PROSE_LINES}
    rows, url_hits, distinct = features_and_counts([PAGE], prose, urls=[url])
    assert rows.tolist() == features([PAGE], prose).tolist()  # the words' scores do not change
    assert url_hits.tolist() == [0, 0, 0, 4, 3, 0, 1, 0]  # harbour, wall, repairs (delayed)
    assert distinct.tolist()[3] == 6
    removed = frozenset({(0, 3)})
    assert features_and_counts([PAGE], prose, removed, [url])[1].tolist() == url_hits.tolist()
    # Another page's URL names nothing on this one.
    both = features_and_counts([["Harbour wall repairs"], PAGE], set(), urls=[url, None])
    assert both[1].tolist() == [3] + [0] * len(PAGE)


def test_lines_a_rule_removes_do_not_count() -> None:
    page = [*PAGE, "Copyright 2025 Harbour Board Ltd. Careers are advertised on the site."]
    prose = {(0, i) for i in PROSE_LINES} | {(0, len(PAGE))}
    counted = features([page], prose)
    assert counted[0][ON_PAGE] == 1.0  # "careers" is in the copyright line
    removed = features([page], prose, frozenset({(0, len(PAGE))}))
    assert removed[: len(PAGE)].tolist() == features([PAGE], prose).tolist()[: len(PAGE)]
    assert removed[0].tolist() == [0.0, 0.0, 0.0]
    # The removed line itself is still scored against the others.
    assert removed[-1][IN_PROSE] > 0


def test_pages_of_one_batch_do_not_share_their_words() -> None:
    alone = features([PAGE], {(0, i) for i in PROSE_LINES})
    second = ["Harbour wall", "Careers and harbour jobs", "Sign in"]
    both = features([second, PAGE, second], {(1, i) for i in PROSE_LINES})
    assert both[3 : 3 + len(PAGE)].tolist() == alone.tolist()
    assert both[:3].tolist() == both[-3:].tolist()
    assert both[1][ON_PAGE] == np.float32(1 / 4)  # "harbour" is on the line above


def test_words_are_split_at_punctuation_and_folded_in_ascii() -> None:
    assert keys_of("the brands’ “social” shops—new\u00a0data") == keys_of(
        "THE Brands social SHOPS new data"
    )
    assert keys_of("港湾、修理。") == keys_of("港湾 修理")
    assert keys_of("a 12 7 2024 - x") == []  # one byte, or digits only
    assert keys_of("Résumé") != keys_of("RÉSUMÉ")  # only ASCII letters are folded
    assert len(keys_of("résumé 3D v2 ok")) == 4


def test_repeated_words_count_once_per_line() -> None:
    rows = features([["wall wall wall", "wall", "gate"]], set())
    assert rows[0][ON_PAGE] == 1.0 and rows[0][WORD_LINES] == np.float32(np.log1p(1))
    assert rows[1][WORD_LINES] == np.float32(np.log1p(1))
    assert rows[2].tolist() == [0.0, 0.0, 0.0]


def test_keys_that_share_their_low_bits_probe_past_each_other() -> None:
    rng = np.random.default_rng(5)
    distinct_keys = (rng.integers(1, 9, size=12).astype(np.uint64) << np.uint64(40)) | np.uint64(15)
    lines = [rng.choice(distinct_keys, size=int(rng.integers(0, 6))) for _ in range(20)]
    keys = np.concatenate(lines).astype(np.uint64)
    counted = rng.random(20) < 0.8
    prose = (rng.random(20) < 0.4) & counted
    out = np.zeros((len(COHESION_FEATURES), 20), dtype=np.float32)
    line_end = np.cumsum([line.size for line in lines]).astype(np.int64)
    tables = (
        np.empty(64, dtype=np.uint64),
        np.full(64, -1, dtype=np.int64),
        np.empty(64, dtype=np.int64),
        np.empty(64, dtype=np.int64),
        np.full(64, -1, dtype=np.int64),
        np.full(64, -1, dtype=np.int64),
    )
    url_hits = np.zeros(20, dtype=np.int32)
    distinct = np.zeros(20, dtype=np.int32)
    # Each page's URL: two of its words (they collide in the table with the others) and an
    # absent key.
    urls = {0: distinct_keys[[0, 3]], 9: distinct_keys[[5, 7]]}
    for a, b in ((0, 9), (9, 20)):
        # Each page's keys start at 0 in `keys`, as `page_word_keys` writes them.
        base = line_end[a - 1] if a else 0
        page_keys = keys[base : line_end[b - 1]]
        ends = np.zeros(20, dtype=np.int64)
        ends[a:b] = line_end[a:b] - base
        url = np.append(urls[a], np.uint64(15)).astype(np.uint64)
        counts = (url_hits, distinct)
        _page_scores(out, np.arange(20), a, b, prose, counted, page_keys, ends, tables, url, counts)
    for page in (range(0, 9), range(9, 20)):
        holders = Counter(k for i in page if counted[i] for k in set(lines[i].tolist()))
        in_prose = Counter(k for i in page if prose[i] for k in set(lines[i].tolist()))
        for i in page:
            words = set(lines[i].tolist())
            if not words:
                assert not out[:, i].any()
                continue
            shared = sum(in_prose[k] - prose[i] > 0 for k in words) / len(words)
            elsewhere = sum(holders[k] - counted[i] > 0 for k in words) / len(words)
            others = sum(holders[k] - counted[i] for k in words) / len(words)
            assert out[IN_PROSE, i] == np.float32(shared)
            assert out[ON_PAGE, i] == np.float32(elsewhere)
            assert out[WORD_LINES, i] == np.float32(np.log1p(others))
            assert distinct[i] == len(words)
            assert url_hits[i] == len(words & set(urls[page.start].tolist()))
