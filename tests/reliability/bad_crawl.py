"""One crawl directory holding every kind of bad input of issue 7, with good records mixed in.

`build_bad_crawl` writes the files and returns what a run must report: the ids of the good records,
and for every unreadable record its file, position and error. The error is a regular expression:
crawlsieve's own wording exactly, with `(.+)` where a library (zlib, pyarrow, warcio) explains.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard
from warcio.warcwriter import WARCWriter

HUGE_RECORD_BYTES = 50 * 1024 * 1024  # the 50 MB single record (one JSON line, line break excluded)
HUGE_RECORD_LIMIT = 16 * 1024 * 1024  # `input.max_record_bytes` that turns it into a quarantine
WARC_START = b"WARC/1.0\r\n"


@dataclass
class BadCrawl:
    """The crawl directory and what a run over it must find."""

    root: Path
    good_ids: list[str] = field(default_factory=list)
    # (file name, position, error pattern)
    unreadable: list[tuple[str, str, str]] = field(default_factory=list)

    def expect_bad(self, name: str, position: str, error: str, *, explained: str = "") -> None:
        """Expect an unreadable record; `explained` is a library's wording left open in `error`."""
        pattern = re.escape(error)
        if explained:
            pattern = pattern.replace(re.escape(explained), "(.+)")
        self.unreadable.append((name, position, pattern))

    def unreadable_by_file(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for name, _, _ in self.unreadable:
            counts[name] = counts.get(name, 0) + 1
        return counts


def story(record_id: str) -> str:
    return f"Council story {record_id}\nThe council met on Tuesday.\nIt approved the budget."


def good_line(crawl: BadCrawl, record_id: str) -> bytes:
    crawl.good_ids.append(record_id)
    return json.dumps({"id": record_id, "text": story(record_id), "url": None}).encode()


def jsonl(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def write_malformed_lines(crawl: BadCrawl) -> None:
    """Malformed JSON, invalid UTF-8, NUL bytes, missing / null / non-string text, not an object."""
    name = "a-lines.jsonl"
    bad: list[tuple[bytes, str]] = [
        (b'{"id": "a-cut", "text": ', "malformed JSON: unexpected end of data at byte 23"),
        (b'{"id": "a-utf8", "text": "caf\xe9"}', "invalid UTF-8"),
        (
            b'{"id": "a-raw-nul", "text": "x\x00y"}',
            "malformed JSON: unexpected control character in string at byte 30",
        ),
        (
            b'{"id": "a-surrogate", "text": "\\ud800"}',
            "malformed JSON: no low surrogate in string at byte 31",
        ),
        (b'{"id": "a-notext", "body": "words"}', "missing text field 'text'"),
        (b'{"id": "a-null", "text": null}', "text field 'text' is null, not a string"),
        (b'{"id": "a-number", "text": 42}', "text field 'text' is a number, not a string"),
        (b'{"id": "a-object", "text": {"p": 1}}', "text field 'text' is an object, not a string"),
        (b'{"id": "a-list", "text": ["a"]}', "text field 'text' is an array, not a string"),
        (b"[1, 2]", "not a JSON object (got an array)"),
        (b"\x00\x00\x00", "malformed JSON: unexpected character, expected a JSON value at byte 0"),
    ]
    lines = [good_line(crawl, "a-0")]
    for index, (line, error) in enumerate(bad, start=1):
        lines.append(line)
        crawl.expect_bad(name, f"line {len(lines)}", error)
        lines.append(good_line(crawl, f"a-{index}"))
    lines.append(b"")  # a blank line is not a record
    escaped_nul = {"id": "a-escaped-nul", "text": "before\u0000after " + story("a-escaped-nul")}
    lines.append(json.dumps(escaped_nul).encode())  # a valid JSON string holding NUL: kept
    crawl.good_ids.append("a-escaped-nul")
    (crawl.root / name).write_bytes(jsonl(lines))


def write_empty_files(crawl: BadCrawl) -> None:
    """Empty files: no records, no errors."""
    (crawl.root / "b-empty.jsonl").write_bytes(b"")
    (crawl.root / "b-empty.jsonl.zst").write_bytes(b"")
    (crawl.root / "b-empty-content.jsonl.gz").write_bytes(gzip.compress(b"", mtime=0))


def write_truncated_streams(crawl: BadCrawl) -> None:
    """A .jsonl.gz and a .jsonl.zst cut off two thirds into their only member / frame."""
    for kind, suffix in (("gzip", "gz"), ("zstd", "zst")):
        ids = [f"c-{kind}-{i:03d}" for i in range(300)]
        # About 1 KB per record: 300 KB, so that zstd writes several blocks of at most 128 KB.
        records = [{"id": i, "text": story(i) + "\n" + " ".join([i] * 60)} for i in ids]
        data = jsonl([json.dumps(record).encode() for record in records])
        if kind == "gzip":
            compressed = gzip.compress(data, mtime=0)
            cut = compressed[: len(compressed) * 2 // 3]
            readable = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(cut)
        else:
            compressed = zstandard.ZstdCompressor(level=3).compress(data)
            cut = compressed[: len(compressed) * 2 // 3]
            readable = zstandard.ZstdDecompressor().decompressobj().decompress(cut)
        whole = readable.count(b"\n")  # the lines that can be read before the damage
        assert 0 < whole < len(ids)
        name = f"c-truncated.jsonl.{suffix}"
        (crawl.root / name).write_bytes(cut)
        crawl.good_ids += ids[:whole]
        crawl.expect_bad(name, f"after line {whole}", f"truncated {kind} stream after line {whole}")


def write_parquet_files(crawl: BadCrawl) -> None:
    """A good Parquet file and one with another schema (no `text` column)."""
    ids = [f"e-{i}" for i in range(6)]
    # An all-null url column has Arrow type `null` (as pandas writes a column of None).
    good = pa.table({"id": ids, "text": [story(i) for i in ids], "url": [None] * 6})
    pq.write_table(good, crawl.root / "e-good.parquet")
    crawl.good_ids += ids
    other = pa.table({"doc_id": ["x1", "x2"], "body": ["one", "two"]})
    pq.write_table(other, crawl.root / "e-other-schema.parquet")
    crawl.expect_bad(
        "e-other-schema.parquet", "file", "no text column 'text'; the file has: doc_id, body"
    )


def wet_bytes(texts: list[str]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for index, text in enumerate(texts):
        payload = text.encode()
        record = writer.create_warc_record(
            f"https://town.example/{index}",
            "conversion",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type="text/plain",
            warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:f-{index}>"},
        )
        writer.write_record(record)
    return buffer.getvalue()


def write_broken_warc(crawl: BadCrawl) -> None:
    """A WET file whose second record has a broken header: the rest of the file is skipped."""
    data = wet_bytes([story(f"f-{i}") for i in range(3)])
    second = data.index(WARC_START, 1)
    (crawl.root / "f-broken-header.wet").write_bytes(
        data[:second] + b"NOT A WARC HEADER\r\n" + data[second:]
    )
    crawl.good_ids.append("<urn:uuid:f-0>")
    crawl.expect_bad(
        "f-broken-header.wet",
        f"offset {second}",
        "cannot parse WARC record (...); the rest of the file is skipped",
        explained="...",
    )


def write_huge_record(crawl: BadCrawl) -> None:
    """One 50 MB record between two good ones."""
    head = b'{"id": "g-huge", "text": "'
    tail = b'"}'
    filler = (b"All work and no play. " * (HUGE_RECORD_BYTES // 22 + 1))[
        : HUGE_RECORD_BYTES - len(head) - len(tail)
    ]
    lines = [good_line(crawl, "g-0"), head + filler + tail, good_line(crawl, "g-1")]
    (crawl.root / "g-huge.jsonl").write_bytes(jsonl(lines))
    crawl.expect_bad(
        "g-huge.jsonl", "line 2", f"record over max_record_bytes ({HUGE_RECORD_BYTES} bytes)"
    )


def write_mislabelled_files(crawl: BadCrawl) -> None:
    """Files that are not what their extension says."""
    records = jsonl([json.dumps({"id": "h-x", "text": "never read"}).encode()])
    (crawl.root / "h-gzip-named.jsonl").write_bytes(gzip.compress(records, mtime=0))
    crawl.expect_bad("h-gzip-named.jsonl", "file", "not JSON Lines: the file is gzip data")
    (crawl.root / "h-text-named.jsonl.gz").write_bytes(records)
    crawl.expect_bad("h-text-named.jsonl.gz", "file", "not a gzip stream (...)", explained="...")
    (crawl.root / "h-json-named.parquet").write_bytes(records)
    crawl.expect_bad("h-json-named.parquet", "file", "not a Parquet file (...)", explained="...")
    (crawl.root / "h-html-named.warc.gz").write_bytes(b"<html><body>hello</body></html>\n" * 50)
    crawl.expect_bad(
        "h-html-named.warc.gz",
        "offset 0",
        "cannot parse WARC record (...); the rest of the file is skipped",
        explained="...",
    )


def build_bad_crawl(root: Path) -> BadCrawl:
    """Write every bad input of issue 7, with good records, into `root`."""
    root.mkdir(parents=True, exist_ok=True)
    crawl = BadCrawl(root)
    write_malformed_lines(crawl)
    write_empty_files(crawl)
    write_truncated_streams(crawl)
    write_parquet_files(crawl)
    write_broken_warc(crawl)
    write_huge_record(crawl)
    write_mislabelled_files(crawl)
    crawl.unreadable.sort()
    return crawl
