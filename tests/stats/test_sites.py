"""Sites are registered domains, worked out once per distinct host."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipeline.stats.sites import registered_domain, site_keys


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
        ("192.168.0.1", "192.168.0.1"),
        ("localhost", "_none"),
        ("", "_none"),
    ],
)
def test_registered_domain(host: str, site: str) -> None:
    assert registered_domain(host) == site


def test_site_keys_of_a_column() -> None:
    urls = pa.chunked_array(
        [
            ["https://news.bbc.co.uk/a", "HTTP://WWW.Example.COM:8080/x?y=1", None],
            ["example.org/path", "//cdn.site.net/x", "http://user:pw@blog.smh.com.au/", ""],
            ["not a url", "https://" + "a" * 5000 + ".com/"],
        ]
    )
    assert site_keys(urls).to_pylist() == [
        "bbc.co.uk",
        "example.com",
        "_none",
        "example.org",
        "site.net",
        "smh.com.au",
        "_none",
        "_none",
        "_none",
    ]


def test_site_keys_of_nothing() -> None:
    assert site_keys(pa.chunked_array([], pa.string())).to_pylist() == []
