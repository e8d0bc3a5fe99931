"""Sites are registered domains, worked out once per distinct host (one implementation for the
cleaning stage and the statistics)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from pipeline.clean.registered_domain import (
    MAX_URL_CHARS,
    NO_SITE,
    host_names,
    pattern_host_names,
    registered_domain,
    site_keys,
)
from pipeline.clean.site_boilerplate import site_hashes


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.example.com", "example.com"),
        ("example.com.", "example.com"),
        ("blog.smh.com.au", "smh.com.au"),
        ("a.b.c.example.de", "example.de"),
        ("www.co.uk", "co.uk"),
        ("sub.example.co", "example.co"),
        ("myblog.blogspot.com", "myblog.blogspot.com"),  # a hosting suffix from the list
        ("x.city.gv.at", "city.gv.at"),  # a country second level from the list
        ("a.b.example.org", "example.org"),
        ("192.168.0.1", "192.168.0.1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("localhost", NO_SITE),
        ("", NO_SITE),
    ],
)
def test_registered_domain(host: str, site: str) -> None:
    assert registered_domain(host) == site


URLS = [
    ("https://news.bbc.co.uk/a", "bbc.co.uk"),
    ("HTTP://WWW.Example.COM:8080/x?y=1", "example.com"),
    (None, NO_SITE),
    ("example.org/path", "example.org"),  # no scheme
    ("example.org:8080/path", "example.org"),  # no scheme, a port
    ("//cdn.site.net/x", "site.net"),
    ("http://user:pw@blog.smh.com.au/", "smh.com.au"),
    ("https://user:pw@shop.example.com.au/p", "example.com.au"),
    ("http://10.0.0.1:8000/x", "10.0.0.1"),
    ("http://[2001:db8::1]:8080/x", "2001:db8::1"),
    ("https://myblog.blogspot.com/2024/01", "myblog.blogspot.com"),
    ("", NO_SITE),
    ("not a url", NO_SITE),
    ("https://" + "a" * 5000 + ".com/", NO_SITE),  # cut at MAX_URL_CHARS: no dot left
]


def test_site_keys_of_a_column() -> None:
    urls = pa.chunked_array([[u for u, _ in URLS[:5]], [u for u, _ in URLS[5:]]])
    assert site_keys(urls).to_pylist() == [site for _, site in URLS]


def test_site_hashes_follow_the_sites() -> None:
    urls = pa.array([u for u, _ in URLS] + ["https://bbc.co.uk/b", "https://www.bbc.co.uk/"])
    hashes = site_hashes(urls).tolist()
    sites = [site for _, site in URLS] + ["bbc.co.uk", "bbc.co.uk"]
    for i, site in enumerate(sites):
        assert (hashes[i] == 0) == (site == NO_SITE)
        for j in range(i):
            assert (hashes[i] == hashes[j]) == (site == sites[j])


def test_host_names_are_lower_case() -> None:
    assert host_names(pa.array(["https://News.BBC.co.uk/A", None])).to_pylist() == [
        "news.bbc.co.uk",
        "",
    ]


def test_nothing() -> None:
    assert site_keys(pa.chunked_array([], pa.string())).to_pylist() == []
    assert site_hashes(pa.chunked_array([], pa.string())).size == 0


def random_urls(count: int, seed: int) -> list[str | None]:
    """URL-like strings built from the characters `HOST_PATTERN` cares about."""
    rng = np.random.default_rng(seed)
    pieces = [
        "http", "HTTPS", "ftp+x", "a.b-c", "://", "//", "/", ":", "?", "#", "@", "[", "]",
        "[2001:db8::1]", "[::", "user:pw@", "www.", "News.Example", ".co.uk", ".com", "8080",
        "x", "Z", " ", "\t", "\n", "\u00a0", "é", "\u2028", "\x01", "1", "-", "+", ".",
    ]  # fmt: skip
    urls: list[str | None] = []
    for _ in range(count):
        size = int(rng.integers(0, 9))
        urls.append("".join(pieces[k] for k in rng.integers(0, len(pieces), size)))
    urls[::97] = [None] * len(urls[::97])
    return urls


def test_host_scan_finds_the_patterns_host() -> None:
    urls = random_urls(20_000, seed=7) + [
        "https://" + "a" * MAX_URL_CHARS + ".com/",
        "h" * (MAX_URL_CHARS - 1) + "é.com",
        "//[ab:cd]",
        "[ab:cd]x/",
        "http://@host/",
        "http://user@/path",
    ]
    array = pa.array(urls, pa.string())
    expected = pattern_host_names(array).to_pylist()
    assert host_names(array).to_pylist() == expected
    assert host_names(pa.chunked_array([array.slice(0, 5), array.slice(5)])).to_pylist() == expected
