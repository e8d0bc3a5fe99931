"""The site of a record: the registered domain of its URL (`news.bbc.co.uk` -> `bbc.co.uk`).

Host names are taken from the URL with one bounded regular expression over the whole column, and
the registered domain is worked out once per distinct host, not once per record.

The registered domain approximates the Public Suffix List without shipping it: a site is the
host's last two labels, or its last three when the second-to-last label is a generic second-level
label (`co`, `com`, `org`, `net`, `gov`, `edu`, `ac`, ...) under a two-letter country code
(`bbc.co.uk`, `smh.com.au`, `asahi.co.jp`). A leading `www.` is ignored, an IP address is its own
site, and a record without a usable URL (none, or a host without a dot) has the site `_none`.
"""

from __future__ import annotations

import functools
import ipaddress

import pyarrow as pa
import pyarrow.compute as pc

NO_SITE = "_none"
MAX_URL_CHARS = 2048
# [scheme:][//][userinfo@]host[:port][/?#...]. Arrow's RE2 runs in linear time and sees at most
# MAX_URL_CHARS characters; no bounded repeats ({m,n}), which make RE2 slow to compile.
HOST_PATTERN = r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?(?://)?(?:[^@/?#]*@)?(?P<host>[^/:?#@\[\] \t]+)"
SECOND_LEVEL_LABELS = frozenset(
    {
        "ac", "co", "com", "edu", "gob", "gov", "govt", "go", "ltd", "me", "mil", "ne", "net",
        "nhs", "nic", "nom", "or", "org", "plc", "sch",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)
def registered_domain(host: str) -> str:
    """The registered domain of a host name (see the module docstring); cached per worker."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return NO_SITE
    if host[-1].isdigit() or ":" in host:
        try:
            ipaddress.ip_address(host)
            return host
        except ValueError:
            pass
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return NO_SITE
    if labels[0] == "www" and len(labels) > 2:
        labels = labels[1:]
    if len(labels) == 2:
        return ".".join(labels)
    top, second = labels[-1], labels[-2]
    if len(top) == 2 and top.isalpha() and second in SECOND_LEVEL_LABELS:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def site_keys(urls: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The site of every URL in `urls` (`_none` for nulls and URLs without a host)."""
    if isinstance(urls, pa.ChunkedArray):
        urls = urls.combine_chunks() if urls.num_chunks else pa.array([], pa.string())
    if len(urls) == 0:
        return pa.array([], pa.string())
    bounded = pc.utf8_ltrim_whitespace(
        pc.utf8_slice_codeunits(urls.cast(pa.string()), 0, MAX_URL_CHARS)
    )
    hosts = pc.struct_field(pc.extract_regex(bounded, HOST_PATTERN), [0])
    hosts = pc.fill_null(pc.utf8_lower(hosts), "")
    distinct = pc.unique(hosts)
    sites = pa.array([registered_domain(h) for h in distinct.to_pylist()], pa.string())
    return pc.take(sites, pc.index_in(hosts, value_set=distinct))
