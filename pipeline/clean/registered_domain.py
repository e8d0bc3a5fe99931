"""The site of a URL: its registered domain (`https://news.bbc.co.uk/a` -> `bbc.co.uk`).

One implementation for the whole pipeline: `site_boilerplate` learns lines per site, and the
statistics count records per site (`by_site`, `sites.top`).

Host names are defined by one bounded regular expression (`HOST_PATTERN`, URLs cut at
`MAX_URL_CHARS`): an optional `scheme://` (or `//`), an optional `user:password@`, then the host up
to a port, path, query or fragment. A compiled scan over the URL bytes finds the same host in
ASCII URLs (Arrow's `extract_regex` costs ~3 us per URL, the scan a few ns); the other URLs
(non-ASCII, leading whitespace or control characters, longer than `MAX_URL_CHARS`) go through the
pattern with Arrow's RE2. The registered domain is then worked out once per distinct host (cached
per worker), not once per record.

It approximates the Public Suffix List without shipping it. The host is lower-cased, a trailing dot
and a leading `www.` dropped; the site is its last two labels, or its last three when the last two
are a multi-part public suffix: one of `MULTI_PART_SUFFIXES` (country second levels such as
`co.uk`, `com.au`, `gv.at`, and hosting suffixes such as `blogspot.com`, `github.io`), or a generic
second-level label (`co`, `com`, `org`, `gov`, ...) under a two-letter country code. No network,
no dependency; a missing suffix only merges the sites under it into one (`x.gov.zz` and
`y.gov.zz` become `gov.zz` unless `gov` is generic). An IP address (v4, or v6 in brackets) is its
own site. A URL without a host, or with a single-label host (`localhost`), has the site `NO_SITE`.
"""

from __future__ import annotations

import functools
import ipaddress

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.dedup.text_units import utf8_view

NO_SITE = "_none"
MAX_URL_CHARS = 2048
# [[scheme:]//][userinfo@]host[:port][/?#...]. Arrow's RE2 runs in linear time and sees at most
# MAX_URL_CHARS characters; no bounded repeats ({m,n}), which make RE2 slow to compile.
HOST_PATTERN = (
    r"^(?:(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//)?(?:[^@/?#]*@)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^/:?#@\[\] \t]+)"
)
_SUFFIX_LIST = """
    co.uk org.uk ac.uk gov.uk ltd.uk plc.uk me.uk net.uk nhs.uk sch.uk police.uk com.au net.au
    org.au edu.au gov.au asn.au id.au co.nz org.nz net.nz govt.nz ac.nz school.nz co.za org.za
    gov.za ac.za co.jp or.jp ne.jp ac.jp go.jp co.kr or.kr go.kr ac.kr co.in net.in org.in
    gov.in ac.in edu.in firm.in gen.in ind.in com.br net.br org.br gov.br edu.br com.cn net.cn
    org.cn gov.cn edu.cn com.hk org.hk edu.hk gov.hk com.tw org.tw edu.tw gov.tw com.sg org.sg
    edu.sg gov.sg com.my org.my gov.my edu.my co.id or.id go.id ac.id web.id com.ph org.ph
    gov.ph edu.ph com.mx org.mx gob.mx edu.mx com.ar org.ar gob.ar com.co org.co gov.co com.pe
    gob.pe com.tr org.tr gov.tr edu.tr com.ua org.ua gov.ua co.il org.il gov.il ac.il com.eg
    gov.eg com.sa gov.sa com.pk org.pk gov.pk com.ng gov.ng co.ke or.ke go.ke co.th or.th go.th
    ac.th com.vn gov.vn com.pl org.pl gov.pl co.at or.at gv.at com.es org.es gob.es com.pt
    gov.pt com.gr gov.gr co.hu com.ru org.ru msk.ru spb.ru com.de blogspot.com github.io
    herokuapp.com appspot.com wordpress.com substack.com medium.com tumblr.com
"""
MULTI_PART_SUFFIXES = frozenset(_SUFFIX_LIST.split())
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
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
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
    top, second = labels[-1], labels[-2]
    multi_part = f"{second}.{top}" in MULTI_PART_SUFFIXES or (
        len(top) == 2 and top.isalpha() and second in SECOND_LEVEL_LABELS
    )
    return ".".join(labels[-3:] if multi_part else labels[-2:])


def host_names(urls: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The lower-cased host of every URL ("" for nulls and URLs without a host)."""
    if isinstance(urls, pa.ChunkedArray):
        urls = urls.combine_chunks() if urls.num_chunks else pa.array([], pa.string())
    if len(urls) == 0:
        return pa.array([], pa.string())
    urls = urls.cast(pa.string())
    data, offsets = utf8_view(urls)
    host_bytes, host_offsets, unsure = _ascii_hosts(data, offsets, MAX_URL_CHARS)
    hosts = pa.StringArray.from_buffers(
        len(urls), pa.py_buffer(host_offsets), pa.py_buffer(host_bytes)
    )
    if unsure.any():
        index = np.flatnonzero(unsure)
        hosts = pc.replace_with_mask(hosts, unsure, pattern_host_names(urls.take(index)))
    return hosts


def pattern_host_names(urls: pa.Array) -> pa.Array:
    """`host_names` by `HOST_PATTERN` with Arrow's RE2, for any string array."""
    bounded = pc.utf8_ltrim_whitespace(pc.utf8_slice_codeunits(urls, 0, MAX_URL_CHARS))
    hosts = pc.struct_field(pc.extract_regex(bounded, HOST_PATTERN), [0])
    return pc.fill_null(pc.utf8_lower(hosts), "")


@numba.njit(cache=True, nogil=True)
def _host_at(data: np.ndarray, at: int, end: int) -> int:
    """End of `HOST_PATTERN`'s host group starting at `at` (`at` itself when there is none)."""
    if at < end and data[at] == 0x5B:  # "[" hex digits, ":" or "." "]"
        k = at + 1
        while k < end and (
            0x30 <= data[k] <= 0x3A or 0x41 <= data[k] <= 0x46 or 0x61 <= data[k] <= 0x66
        ):
            k += 1
        if k > at + 1 and k < end and data[k] == 0x5D:
            return k + 1
        return at
    k = at
    while k < end and data[k] not in (0x2F, 0x3A, 0x3F, 0x23, 0x40, 0x5B, 0x5D, 0x20, 0x09):
        k += 1
    return k


@numba.njit(cache=True, nogil=True)
def _host_span(data: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """`HOST_PATTERN`'s host in the ASCII bytes `data[start:end]`, as the regex engine chooses it
    (leftmost-first: `scheme://`, then `//`, then neither; with `user@`, then without)."""
    prefixes = np.full(3, -1, dtype=np.int64)
    prefixes[2] = start
    k = start
    if k < end and (0x41 <= data[k] <= 0x5A or 0x61 <= data[k] <= 0x7A):
        k += 1
        while k < end and (
            0x41 <= data[k] <= 0x5A
            or 0x61 <= data[k] <= 0x7A
            or 0x30 <= data[k] <= 0x39
            or data[k] in (0x2B, 0x2E, 0x2D)
        ):
            k += 1
        if k + 2 < end and data[k] == 0x3A and data[k + 1] == 0x2F and data[k + 2] == 0x2F:
            prefixes[0] = k + 3
    if start + 1 < end and data[start] == 0x2F and data[start + 1] == 0x2F:
        prefixes[1] = start + 2
    for at in prefixes:
        if at < 0:
            continue
        k = at
        while k < end and data[k] not in (0x40, 0x2F, 0x3F, 0x23):
            k += 1
        if k < end and data[k] == 0x40:
            host_end = _host_at(data, k + 1, end)
            if host_end > k + 1:
                return k + 1, host_end
        host_end = _host_at(data, at, end)
        if host_end > at:
            return at, host_end
    return start, start


@numba.njit(cache=True, nogil=True)
def _ascii_hosts(
    data: np.ndarray, offsets: np.ndarray, max_bytes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lower-cased host of each URL (UTF-8 bytes, int32 offsets as Arrow's), and which URLs
    the scan is unsure of (a byte >= 0x80, a first byte <= 0x20, more than `max_bytes` bytes):
    their host is left empty for `HOST_PATTERN` to find."""
    n = offsets.size - 1
    out = np.empty(data.size, dtype=np.uint8)
    out_offsets = np.zeros(n + 1, dtype=np.int32)
    unsure = np.zeros(n, dtype=np.bool_)
    size = 0
    for i in range(n):
        start, end = offsets[i], offsets[i + 1]
        ascii_only = end - start <= max_bytes and (end == start or data[start] > 0x20)
        for k in range(start, end):
            if data[k] >= 0x80:
                ascii_only = False
                break
        if not ascii_only:
            unsure[i] = True
        else:
            host_start, host_end = _host_span(data, start, end)
            for k in range(host_start, host_end):
                byte = data[k]
                out[size] = byte | 0x20 if 0x41 <= byte <= 0x5A else byte
                size += 1
        out_offsets[i + 1] = size
    return out[:size], out_offsets, unsure


def site_keys(urls: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The site of every URL in `urls` (`NO_SITE` for nulls and URLs without a usable host)."""
    hosts = host_names(urls)
    distinct = pc.unique(hosts)
    sites = pa.array([registered_domain(h) for h in distinct.to_pylist()], pa.string())
    return pc.take(sites, pc.index_in(hosts, value_set=distinct))
