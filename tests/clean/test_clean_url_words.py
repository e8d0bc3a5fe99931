"""`url_words`: which words of a URL name the page, on the URL shapes crawls carry."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from pipeline.clean.line_cohesion import page_word_keys
from pipeline.clean.url_words import MAX_URL_BYTES, MAX_URL_WORDS, url_word_keys


def keys_of(text: str) -> set[int]:
    """The word keys `line_cohesion` gives the words of `text`."""
    data = np.frombuffer(text.encode(), dtype=np.uint8)
    keys = np.zeros(data.size + 1, dtype=np.uint64)
    line_end = np.zeros(1, dtype=np.int64)
    page_word_keys(data, np.array([0]), np.array([data.size]), 0, 1, keys, line_end)
    return set(keys[: line_end[0]].tolist())


def words_of(*urls: str | None) -> list[list[int]]:
    keys, offsets = url_word_keys(pa.array(list(urls), pa.string()), len(urls))
    return [keys[offsets[d] : offsets[d + 1]].tolist() for d in range(len(urls))]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://www.example.com/2025/03/harbour-wall-repairs.html", "harbour wall repairs"),
        ("http://example.com/Harbour_Wall/Repairs/?utm=board#autumn", "harbour wall repairs"),
        ("example.com/harbour-wall", "harbour wall"),  # no scheme: the host is not a path
        ("//cdn.example.net/harbour-wall", "harbour wall"),
        ("/harbour/wall/", "harbour wall"),
        ("https://example.com/caf%C3%A9-ouvre%2Fparis", "café ouvre paris"),
        ("https://example.com/100%-sure-%zz", "sure zz"),  # a bad escape stays as it was
        ("https://example.gr/εργασίες-λιμάνι", "εργασίες λιμάνι"),
        ("https://example.com/en/news/article/index.php", ""),  # words every path carries
        ("https://example.com/a/7/2025/x1", "x1"),  # one letter, digits only
        ("https://example.com?q=harbour-wall", ""),
        ("https://example.com", ""),
        ("mailto:harbour@example.com", ""),
    ],
)
def test_the_path_words_of_a_url(url: str, words: str) -> None:
    assert set(words_of(url)[0]) == keys_of(words)


def test_each_page_has_its_distinct_words() -> None:
    got = words_of("https://a.com/wall-wall-Wall/WALL", None, "", "https://b.com/gate-wall")
    assert [len(keys) for keys in got] == [1, 0, 0, 2]
    assert got[0] == sorted(keys_of("wall")) and set(got[3]) == keys_of("gate wall")


def test_no_urls_or_other_array_types() -> None:
    keys, offsets = url_word_keys(None, 3)
    assert keys.size == 0 and offsets.tolist() == [0, 0, 0, 0]
    chunked = pa.chunked_array([["https://a.com/harbour-wall"], [None, "/gate-keeper"]])
    keys, offsets = url_word_keys(chunked, 3)
    assert offsets.tolist() == [0, 2, 2, 4]
    large = pa.array(["https://a.com/harbour-wall"], pa.large_string())
    assert (
        url_word_keys(large, 1)[0].tolist() == url_word_keys(large.cast(pa.string()), 1)[0].tolist()
    )
    assert url_word_keys(pa.nulls(2), 2)[1].tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="2 URLs for 3 documents"):
        url_word_keys(pa.array(["/a", "/b"]), 3)


def test_only_the_first_bytes_of_a_long_url_are_read() -> None:
    head = "https://example.com/harbour-wall/"
    filler = "x" * (MAX_URL_BYTES - len(head) - 3)
    url = head + filler + "-gate-keeper"  # the bytes read end in "-ga"
    assert set(words_of(url)[0]) == keys_of(f"harbour wall {filler} ga")


def test_only_the_first_distinct_words_are_kept() -> None:
    words = [f"w{i:03d}" for i in range(MAX_URL_WORDS + 40)]
    url = "https://example.com/" + "-".join(["w000", *words])  # a repeat does not count
    assert set(words_of(url)[0]) == keys_of(" ".join(words[:MAX_URL_WORDS]))
