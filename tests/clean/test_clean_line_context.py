"""`line_context`: the byte loops against the regular expressions they replace, and the whole
feature matrix against a plain per-document reference."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote_to_bytes

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import xxhash

from pipeline.clean.line_cohesion import MIN_WORD_BYTES
from pipeline.clean.line_context import FEATURES, SHORT_WORDS, line_context_features
from pipeline.clean.line_context_kernels import SAME_LINE, _same_key_counts, log1p_table
from pipeline.clean.line_context_text import (
    CAPITALISED_WORD,
    COUNT_IN_BRACKETS,
    DATE_OR_TIME,
    LINK_LIKE,
    PUNCTUATION,
    SEPARATOR,
    TEXT_COLUMNS,
    text_features,
)
from pipeline.clean.line_table import LineTable
from pipeline.clean.line_title import MIN_TITLE_HITS, MIN_TITLE_MATCH
from pipeline.clean.url_words import MAX_URL_BYTES, URL_STOP_WORDS

LINES = [
    "Home | News | Sport",
    "Home › World › Europe",
    "Breaking - markets fall - live",
    "A - B",  # one dash only
    "x — y – z",
    "Read — more",
    "Read – more – here",
    "a · b • c",
    "a » b",
    "a -- b",
    "Comments (12)",
    "[1,234.5] results",
    "(1a) not a count",
    "Posted 12/03/2024 at 10:45",
    "2024-01-02T10:00",
    "Jan 5, 2024",
    "SEPT. 12",
    "5 December 2023",
    "3 hours ago",
    "Mayday 12",
    "12 mayo",
    "1:234",
    "Updated 10:45 GMT",
    "10:45pm",
    "v1.2.3 and 12.10.2023",
    "1-2-34567 and 1/2/3",
    "on 3/4/21.",
    "2024-1-02 and 2024-01-022",
    "dec_ 5 and 5 dec_",
    "x.Jan 5",
    "1jan 5 or _feb 6",  # the month must start a word
    "Janu. 12 | octo 7 | nov  8",
    "ajan 5 and jan.5 and Jan. 123 and mar 5x",
    "éjan 5 et 1° aug 09",
    "jan 5",
    "12",
    "up 7 Sept",
    "http://example.org/page",
    "Visit WWW.EXAMPLE.ORG",
    "mail us at news@example.com",
    "example.community",
    "ABC Def GHI 123",
    "THE MENU",
    "ÉCOLE FRANÇAISE",
    "École française",
    "élan vital",
    "ß is lower, × and ÷ are signs",
    "Ωμέγα ΣΊΣΥΦΟΣ and Москва",
    "москва",
    "中文 and 日本語 text",
    "İstanbul and ıspanak",
    "Kelvin K and long ſ: httpſ://x @K",
    "emoji 😀 Start 👍🏽 end",
    "e\u0301cole and \u0345 combining",
    "“Quoted,” she said; (yes): “no”",
    "Tabs\tand\u00a0NBSP\u2009thin",
    "ª µ º ordinal signs",
    "ǅ titlecase Ⓐ circled",
    "_under score",
    "a",
]


@pytest.mark.parametrize("name", TEXT_COLUMNS)
def test_text_features_equal_the_regular_expressions(name: str) -> None:
    lines = pa.array(LINES + [line.upper() for line in LINES] + [line.lower() for line in LINES])
    reference = {
        "capitalised_words": pc.count_substring_regex(lines, pattern=CAPITALISED_WORD),
        "digits": pc.count_substring_regex(lines, pattern=r"\d"),
        "punctuation": pc.count_substring_regex(lines, pattern=PUNCTUATION),
        "separator": pc.match_substring_regex(lines, pattern=SEPARATOR),
        "count_in_brackets": pc.match_substring_regex(lines, pattern=COUNT_IN_BRACKETS),
        "date_or_time": pc.match_substring_regex(lines, pattern=DATE_OR_TIME),
        "link_like": pc.match_substring_regex(lines, pattern=LINK_LIKE),
        "all_upper": pc.utf8_is_upper(lines),
        "starts_lower": pc.match_substring_regex(lines, pattern=r"^\p{Ll}"),
    }[name]
    values, _ = text_features(lines, np.arange(len(lines)))
    expected = np.asarray(reference.to_numpy(zero_copy_only=False), dtype=np.int64)
    assert values[TEXT_COLUMNS.index(name)].tolist() == expected.tolist()


def first_word(line: str) -> str:
    """The first ASCII word of the lower-cased line within 32 characters, at most 24 kept."""
    lower = pc.utf8_lower(pa.scalar(line)).as_py()[:32]
    match = re.match(r"\W*(\w*)", lower, flags=re.ASCII)
    assert match is not None
    return match.group(1)[:24]


def test_first_word_key_is_the_hash_of_the_first_word() -> None:
    lines = [*LINES, "  -- «Élan» 12abc_DEF", "x" * 40, "— " * 20 + "late", "Kilo", "İi"]
    _, keys = text_features(pa.array(lines), np.arange(len(lines)))
    expected = [xxhash.xxh64_intdigest(first_word(line).encode()) for line in lines]
    assert keys.tolist() == expected


def kadane_region(scores: list[float]) -> tuple[int, int]:
    """The maximum-sum run of a page: the earliest end reaching the maximum, the latest start
    reaching it from there (Kadane's choice); (-1, -1) if no run has a positive sum."""
    best, span = 0.0, (-1, -1)
    for end in range(len(scores)):
        for start in range(end, -1, -1):
            total = sum(scores[start : end + 1])
            if total > best:
                best, span = total, (start, end)
    return span


# What ends a word for `line_cohesion`: ASCII other than letters, digits and "_", U+0080-U+00BF,
# general punctuation, CJK punctuation, fullwidth punctuation U+FF00-U+FF0F.
COHESION_WORD = re.compile(
    "[^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f\x80-\xbf\u2000-\u206f\u3000-\u303f\uff00-\uff0f]+"
)
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def cohesion_words(text: str) -> set[str]:
    """The distinct words of a line as `line_cohesion` counts them."""
    found = (w.translate(ASCII_LOWER) for w in COHESION_WORD.findall(text))
    return {
        w for w in found if len(w.encode()) >= MIN_WORD_BYTES and not (w.isascii() and w.isdigit())
    }


def url_words(url: str | None) -> set[str]:
    """The words of a URL's path as `url_words` takes them."""
    if url is None:
        return set()
    raw = url.encode()[:MAX_URL_BYTES]
    scheme = re.match(rb"[^/?#]*?://", raw)
    start = scheme.end() if scheme else 2 if raw.startswith(b"//") else 0
    path = raw.find(b"/", start)
    if path < 0:
        return set()
    end = re.search(rb"[?#]|$", raw[path:]).start() + path
    decoded = unquote_to_bytes(raw[path:end].replace(b"_", b" ")).decode()
    return cohesion_words(decoded) - set(URL_STOP_WORDS)


def title_columns(
    vocab: list[set[str]], hit: list[bool], url: str | None
) -> dict[str, list[float]]:
    """`line_title`'s features of one page's lines."""
    n = len(vocab)
    names = ("url_title_match", "url_words_share", "has_url_title")
    columns = {name: [0.0] * n for name in (*names, "before", "after")}
    words = url_words(url)
    if len(words) < MIN_TITLE_HITS:
        return columns
    hits = [len(v & words) for v in vocab]
    match = [h / len(words) if h >= MIN_TITLE_HITS else 0.0 for h in hits]
    columns["url_title_match"] = match
    columns["url_words_share"] = [
        h / len(v) if v else 0.0 for h, v in zip(hits, vocab, strict=True)
    ]
    titles = [i for i in range(n) if not hit[i] and match[i] >= MIN_TITLE_MATCH]
    if titles:
        title = max(titles, key=lambda i: (match[i], -i))
        columns["has_url_title"] = [1.0] * n
        columns["before"] = [np.log1p(max(title - i, 0)) for i in range(n)]
        columns["after"] = [np.log1p(max(i - title, 0)) for i in range(n)]
    return columns


def block_columns(
    positions: list[int], total: int, words: list[int], prose: list[bool], hit: list[bool]
) -> list[dict[str, float]]:
    """Per non-blank line (at `positions` among the page's `total` lines): its block's features."""
    blocks: list[list[int]] = []
    for i, position in enumerate(positions):
        if blocks and positions[blocks[-1][-1]] == position - 1:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    rows: list[dict[str, float]] = [{} for _ in positions]
    for k, block in enumerate(blocks):
        first, last = positions[block[0]], positions[block[-1]]
        before = first - (positions[blocks[k - 1][-1]] + 1 if k else 0)
        after = (positions[blocks[k + 1][0]] if k + 1 < len(blocks) else total) - last - 1
        for i in block:
            rows[i] = {
                "log_block_lines": np.log1p(len(block)),
                "log_block_words": np.log1p(sum(words[j] for j in block)),
                "block_prose_share": sum(prose[j] for j in block) / len(block),
                "block_removed_share": sum(hit[j] for j in block) / len(block),
                "first_in_block": i == block[0],
                "last_in_block": i == block[-1],
                "log_blank_before_block": np.log1p(before),
                "log_blank_after_block": np.log1p(after),
            }
    return rows


def reference_page(
    texts: list[str],
    flags: dict[str, list[bool]],
    url: str | None,
    positions: list[int],
    total: int,
    *,
    sentence: int,
    prose_words: int,
) -> np.ndarray:
    """The features of the non-blank lines of one page (at `positions` among its `total` lines,
    blank ones included), line by line in plain Python."""
    n = len(texts)
    words = [t.count(" ") + 1 for t in texts]
    hit = [m or s for m, s in zip(flags["matched"], flags["structural"], strict=True)]
    prose = [
        (w >= sentence and c) or w >= prose_words
        for w, c in zip(words, flags["ends_clause"], strict=True)
    ]
    short = [w <= SHORT_WORDS and not e for w, e in zip(words, flags["ends_sentence"], strict=True)]
    own = [p and not h for p, h in zip(prose, hit, strict=True)]
    own_at = [i for i in range(n) if own[i]]
    scores = [
        float(words[i]) if own[i] else -3.0 if hit[i] else -1.0 if short[i] else 0.0
        for i in range(n)
    ]
    start, end = kadane_region(scores)
    vocab = [cohesion_words(t) for t in texts]
    # Words of lines no rule removes; prose: of those, the prose lines.
    holders = Counter(w for ws, h in zip(vocab, hit, strict=True) if not h for w in ws)
    in_prose = Counter(w for ws, p in zip(vocab, own, strict=True) if p for w in ws)
    title = title_columns(vocab, hit, url)
    lower = [pc.utf8_lower(pa.scalar(t)).as_py() for t in texts]
    heads = [first_word(t) for t in texts]
    arrays = pa.array(texts)
    text = {
        "capitals": pc.count_substring_regex(arrays, pattern=CAPITALISED_WORD).to_pylist(),
        "separator": pc.match_substring_regex(arrays, pattern=SEPARATOR).to_pylist(),
        "brackets": pc.match_substring_regex(arrays, pattern=COUNT_IN_BRACKETS).to_pylist(),
        "date": pc.match_substring_regex(arrays, pattern=DATE_OR_TIME).to_pylist(),
        "link": pc.match_substring_regex(arrays, pattern=LINK_LIKE).to_pylist(),
        "upper": pc.utf8_is_upper(arrays).to_pylist(),
        "lower": pc.match_substring_regex(arrays, pattern=r"^\p{Ll}").to_pylist(),
    }

    prose_words = [w if p else 0 for w, p in zip(words, prose, strict=True)]
    dated = text["date"]

    def part(values: list, whole: float) -> float:
        return sum(values) / whole if whole else 0.0

    blocks = block_columns(positions, total, words, prose, hit)

    def share(flag: list[bool], i: int, window: int) -> float:
        near = flag[max(i - window, 0) : i + window + 1]
        return sum(near) / len(near)

    rows = []
    for i, line in enumerate(texts):
        run = 0
        if short[i]:
            lo, hi = i, i
            while lo > 0 and short[lo - 1]:
                lo -= 1
            while hi + 1 < n and short[hi + 1]:
                hi += 1
            run = hi - lo + 1
        distance = min([abs(i - k) for k in own_at] + [1000])
        outside = 0 if end < 0 or start <= i <= end else (start - i if i < start else i - end)
        row = {
            "log_words": np.log1p(words[i]),
            "log_chars": np.log1p(len(line)),
            "ends_sentence": flags["ends_sentence"][i],
            "ends_clause": flags["ends_clause"][i],
            "bullet": flags["bullet"][i],
            "pattern_matched": flags["matched"][i],
            "structural": flags["structural"][i],
            "capitalised_share": min(text["capitals"][i] / words[i], 1.0),
            "digit_share": sum(c in "0123456789" for c in line) / len(line),
            "punct_share": sum(c in ',;:()"“”' for c in line) / words[i],
            "separator": text["separator"][i],
            "count_in_brackets": text["brackets"][i],
            "date_or_time": text["date"][i],
            "link_like": text["link"][i],
            "all_caps": text["upper"][i] and len(line) > 3,
            "starts_lower": text["lower"][i],
            "prev_log_words": np.log1p(words[i - 1]) if i > 0 else 0.0,
            "next_log_words": np.log1p(words[i + 1]) if i + 1 < n else 0.0,
            "prev_prose": i > 0 and prose[i - 1],
            "next_prose": i + 1 < n and prose[i + 1],
            "prev_matched": i > 0 and hit[i - 1],
            "next_matched": i + 1 < n and hit[i + 1],
            "prose_share_w2": share(prose, i, 2),
            "prose_share_w5": share(prose, i, 5),
            "short_share_w2": share(short, i, 2),
            "short_share_w5": share(short, i, 5),
            "matched_share_w5": share(hit, i, 5),
            "log_short_run": np.log1p(run),
            "relative_position": i / max(n - 1, 1),
            "log_lines_before": np.log1p(i),
            "log_lines_after": np.log1p(n - 1 - i),
            "before_first_prose": bool(own_at) and i < own_at[0],
            "after_last_prose": bool(own_at) and i > own_at[-1],
            "log_distance_to_prose": np.log1p(distance),
            "in_densest_region": end >= 0 and start <= i <= end,
            "log_distance_to_region": np.log1p(outside),
            "log_same_line_count": np.log1p(lower.count(lower[i]) - 1),
            "log_same_first_word": np.log1p(heads.count(heads[i]) - 1),
            "page_prose_share": sum(own) / n,
            "page_short_share": sum(short) / n,
            "page_matched_share": sum(hit) / n,
            "page_log_lines": np.log1p(n),
            "words_in_prose": sum(in_prose[w] - own[i] > 0 for w in vocab[i]) / len(vocab[i])
            if vocab[i]
            else 0.0,
            "words_on_page": sum(holders[w] - (not hit[i]) > 0 for w in vocab[i]) / len(vocab[i])
            if vocab[i]
            else 0.0,
            "log_word_lines": np.log1p(
                sum(holders[w] - (not hit[i]) for w in vocab[i]) / len(vocab[i])
            )
            if vocab[i]
            else 0.0,
            "url_title_match": title["url_title_match"][i],
            "url_words_share": title["url_words_share"][i],
            "has_url_title": title["has_url_title"][i],
            "log_lines_before_title": title["before"][i],
            "log_lines_after_title": title["after"][i],
            "log_removed_above": np.log1p(sum(hit[:i])),
            "log_removed_below": np.log1p(sum(hit[i + 1 :])),
            "prose_words_above": part(prose_words[:i], sum(prose_words)),
            "prose_words_below": part(prose_words[i + 1 :], sum(prose_words)),
            "log_dated_above": np.log1p(sum(dated[:i])),
            "log_dated_below": np.log1p(sum(dated[i + 1 :])),
            "page_log_prose_words": np.log1p(sum(prose_words)),
            "log_prose_above": np.log1p(sum(prose[:i])),
            "log_prose_below": np.log1p(sum(prose[i + 1 :])),
            "log_short_above": np.log1p(sum(short[:i])),
            "log_short_below": np.log1p(sum(short[i + 1 :])),
            "words_above": part(words[:i], sum(words)),
            "words_below": part(words[i + 1 :], sum(words)),
            "removed_above": part(hit[:i], sum(hit)),
            "removed_below": part(hit[i + 1 :], sum(hit)),
            **blocks[i],
        }
        rows.append([float(row[name]) for name in FEATURES])
    return np.array(rows, dtype=np.float64).reshape(n, len(FEATURES)).astype(np.float32)


def reference_features(
    lines: LineTable,
    matched: np.ndarray,
    structural: np.ndarray,
    urls: list[str | None],
    **sizes: int,
) -> np.ndarray:
    out = np.zeros((lines.num_lines, len(FEATURES)), dtype=np.float32)
    for d in range(lines.num_docs):
        index = np.arange(lines.offsets[d], lines.offsets[d + 1])
        index = index[~lines.blank[index]]
        if index.size == 0:
            continue
        flags = {
            "matched": matched[index].tolist(),
            "structural": structural[index].tolist(),
            "ends_sentence": lines.ends_sentence[index].tolist(),
            "ends_clause": lines.ends_clause[index].tolist(),
            "bullet": lines.bullet[index].tolist(),
        }
        texts = lines.stripped.take(pa.array(index)).to_pylist()
        positions = (index - lines.offsets[d]).tolist()
        total = int(lines.offsets[d + 1] - lines.offsets[d])
        out[index] = reference_page(texts, flags, urls[d], positions, total, **sizes)
    return out


PROSE = [
    "The harbour board met on Tuesday to discuss the repairs the storms made necessary.",
    "Engineers said the north wall would need new foundations before next autumn, they said",
    "Résumé: the council agreed to a loan and will publish the survey in full next week.",
    "Ο δήμαρχος είπε ότι οι εργασίες θα ξεκινήσουν τον Μάιο και θα κρατήσουν ένα χρόνο.",
]
# Words shared with `PROSE` behind typographic quotes, dashes, a no-break space; digits only.
COHESIVE = [
    "The harbour board’s “repairs” — next\u00a0autumn",
    "Résumé: engineers, foundations",
    "2024 12 7",
    "Οι εργασίες θα ξεκινήσουν",
    "港湾、修理。Harbour_board",
]
SHAPES = LINES + PROSE + COHESIVE + ["", "   ", "\t", "Home", "HOME", "home", "- item", "1. first"]
# Paths that name lines of `PROSE` and `COHESIVE` (or too few words, or none).
URLS = [
    None,
    "https://www.example.com/2025/03/harbour-board-repairs.html",
    "example.org/news/R%C3%A9sum%C3%A9_engineers-foundations?page=harbour-wall",
    "//cdn.example.net/home/world-europe#harbour-board",
    "http://example.gr/%CE%B5%CF%81%CE%B3%CE%B1%CF%83%CE%AF%CE%B5%CF%82-θα-ξεκινήσουν/",
    "https://example.com/harbour/",
    "https://example.com",
    "/Engineers/Next-Autumn/Index.HTML",
]


def test_features_equal_a_plain_reference_on_many_pages() -> None:
    rng = np.random.default_rng(11)
    docs = [
        "",
        "One line only.",
        "\n\n",
        "Home\n\nHome\nhome\n  Home  ",
        "\n \nMenu\nNews\n\n\nA.\n\n",
    ]
    for _ in range(60):
        size = int(rng.integers(1, 40))
        docs.append("\n".join(rng.choice(SHAPES, size=size).tolist()))
    lines = LineTable.from_text(pa.array(docs))
    urls = [URLS[i % len(URLS)] for i in range(len(docs))]
    matched = rng.random(lines.num_lines) < 0.1
    structural = rng.random(lines.num_lines) < 0.05
    titled = 0
    for sizes in (
        {"sentence_min_words": 8, "prose_min_words": 20},
        {"sentence_min_words": 3, "prose_min_words": 6},
    ):
        got = line_context_features(lines, matched, structural, urls=pa.array(urls), **sizes)
        expected = reference_features(
            lines,
            matched,
            structural,
            urls,
            sentence=sizes["sentence_min_words"],
            prose_words=sizes["prose_min_words"],
        )
        assert got.shape == expected.shape
        for column, name in enumerate(FEATURES):
            assert got[:, column].tolist() == expected[:, column].tolist(), name
        titled += int(got[:, FEATURES.index("has_url_title")].any())
    assert titled  # the URLs name lines of some pages


def test_the_distance_to_prose_is_capped() -> None:
    text = "\n".join([PROSE[0]] + ["Menu"] * 1100)
    lines = LineTable.from_text(pa.array([text]))
    none = np.zeros(lines.num_lines, dtype=bool)
    features = line_context_features(lines, none, none)
    distance = features[:, FEATURES.index("log_distance_to_prose")]
    assert distance[999] == np.float32(np.log1p(999))
    assert (distance[1000:] == np.float32(np.log1p(1000))).all()


def test_counts_past_the_shared_logarithm_table() -> None:
    """A line longer than `log1p_table`'s shared table gets numpy's logarithm all the same."""
    long = 300_000  # > 2**18
    lines = LineTable.from_text(pa.array(["Menu\n" + "x" * long + "\nMenu"]))
    none = np.zeros(lines.num_lines, dtype=bool)
    features = line_context_features(lines, none, none)
    chars = features[:, FEATURES.index("log_chars")]
    assert chars.tolist() == np.log1p([4, long, 4]).astype(np.float32).tolist()
    assert log1p_table(long + 1).size == long + 1


def test_a_batch_of_blank_lines_or_no_lines_gives_zeros() -> None:
    for texts in ([], [""], ["\n  \n\t"]):
        lines = LineTable.from_text(pa.array(texts, pa.string()))
        none = np.zeros(lines.num_lines, dtype=bool)
        features = line_context_features(lines, none, none)
        assert features.shape == (lines.num_lines, len(FEATURES))
        assert not features.any()


def test_same_key_counts_with_keys_that_share_their_low_bits() -> None:
    """Keys equal in their low bits probe past each other (and wrap around the table)."""
    rng = np.random.default_rng(3)
    high = rng.integers(1, 6, size=40).astype(np.uint64) << np.uint64(40)
    keys = high | np.uint64(15)  # all in the last slot of a 16-slot table at first
    keys[::7] = rng.integers(0, 2**63, size=keys[::7].size, dtype=np.uint64)
    a, b = 3, 37  # one page inside the batch
    out = np.zeros((SAME_LINE + 1, 50), dtype=np.float32)
    index = np.arange(keys.size) + 5
    slots = max(16, 4 * keys.size)
    _same_key_counts(
        out,
        index,
        SAME_LINE,
        keys,
        a,
        b,
        log1p_table(100),
        np.empty(slots, dtype=np.uint64),
        np.empty(slots, dtype=np.int64),
        np.empty(keys.size, dtype=np.int64),
    )
    page = keys[a:b].tolist()
    expected = np.zeros(50, dtype=np.float32)
    for i in range(a, b):
        expected[index[i]] = np.float32(np.log1p(page.count(keys[i]) - 1))
    assert out[SAME_LINE].tolist() == expected.tolist()
