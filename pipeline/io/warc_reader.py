"""WARC, WET and ARC reader (plain or gzip per record), with a small HTML-to-text step.

Records that are documents: WET `conversion` records (the text as it is, UTF-8), and WARC `response`
and `resource` records whose payload is HTML or plain text (`text/html`, `application/xhtml+xml`,
`text/plain`; a response without a content type is taken as HTML) and, for responses, whose HTTP
status is 2xx. Everything else (`warcinfo`, `request`, `metadata`, `revisit`, images, PDFs,
redirects, errors) is not a document and is skipped without being counted as read.

Columns: `id` from WARC-Record-ID, `url` from WARC-Target-URI, and the passthrough columns
`warc_date` (WARC-Date) and `content_type` (the HTTP Content-Type of a response, the WARC
Content-Type of other records). ARC records have no record id: theirs is generated
(`<file name>:<row>`), their url and date come from the ARC header line.

Positions are "offset N", the record's byte offset in the file as stored (compressed offsets for
.warc.gz), which `warcio extract` and range requests accept.

Damage: a record whose payload cannot be decoded, is cut short, or is larger than
`max_record_bytes` is one `Unreadable`; a header warcio cannot parse, or data after the last record
that is not a record, is one `Unreadable` for the rest of the file.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, BinaryIO

import pyarrow as pa
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException
from warcio.timeutils import timestamp_to_iso_date

from pipeline.io.filesystems import open_raw
from pipeline.io.readers import (
    CHUNK_BYTES,
    ReadOptions,
    canonical_table,
    empty_table,
    unreadable,
)
from pipeline.io.source import InputFile, ReadChunk, Unreadable

PASSTHROUGH_SCHEMA = pa.schema([("warc_date", pa.string()), ("content_type", pa.string())])
DOCUMENT_TYPES = frozenset({"response", "resource", "conversion"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = HTML_TYPES | {"text/plain"}
META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I)
META_SNIFF_BYTES = 4096
WARC_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, ValueError, EOFError)


def read_warc(file: InputFile, file_index: int, options: ReadOptions) -> Iterator[ReadChunk]:
    """Stream the document records of `file` as chunks of at most `options.batch_size`."""
    batch = _Batch(file, file_index)
    try:
        raw = open_raw(file.uri, options.storage_options)
    except OSError as exc:
        batch.bad.append(unreadable(file, "file", f"read error: {exc}"))
        yield batch.flush()
        return
    with raw:
        source = _CountingReader(raw)
        records = ArchiveIterator(source)
        try:
            for record in records:
                if _header_incomplete(record):
                    batch.add_broken(records.offset)
                elif record.rec_type in DOCUMENT_TYPES:
                    batch.add(record, records.offset, options)
                if batch.full(options.batch_size):
                    yield batch.flush()
            end = records.offset
            while source.read(1 << 20):
                pass
            if source.consumed > end and not source.tail_is_blank:
                batch.bad.append(
                    unreadable(
                        file,
                        f"offset {end}",
                        f"{source.consumed - end} bytes after the last record are not a "
                        "WARC record (truncated or corrupt file)",
                    )
                )
        except (*WARC_ERRORS, OSError) as exc:
            batch.bad.append(
                unreadable(
                    file,
                    f"offset {records.offset}",
                    f"cannot parse WARC record ({_short(exc)}); the rest of the file is skipped",
                )
            )
    if batch.rows or batch.bad:
        yield batch.flush()


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def _header_incomplete(record: Any) -> bool:
    """True for a WARC record whose header lacks its Content-Length (a cut-off header)."""
    return record.format.startswith("warc") and not record.rec_headers.get_header("Content-Length")


class _CountingReader:
    """A file wrapper that counts the bytes read and remembers whether the last ones were blank."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.consumed = 0
        self.tail_is_blank = True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.consumed += len(data)
        if data:
            self.tail_is_blank = not data.strip()
        return data

    def tell(self) -> int:
        return self.consumed


class _Batch:
    """Document records collected for the next chunk."""

    def __init__(self, file: InputFile, file_index: int) -> None:
        self.file = file
        self.file_index = file_index
        self.next_row = 0
        self._reset()

    def _reset(self) -> None:
        self.ids: list[str | None] = []
        self.texts: list[str] = []
        self.urls: list[str | None] = []
        self.dates: list[str | None] = []
        self.content_types: list[str | None] = []
        self.rows: list[int] = []
        self.bad: list[Unreadable] = []
        self.bytes = 0

    def full(self, batch_size: int) -> bool:
        return (
            len(self.rows) >= batch_size
            or len(self.bad) >= batch_size
            or (self.bytes >= CHUNK_BYTES)
        )

    def add_broken(self, offset: int) -> None:
        """A record whose header is cut off: it may have been a document, so it is counted."""
        self.next_row += 1
        error = "WARC record header is incomplete (no Content-Length): truncated or corrupt file"
        self.bad.append(unreadable(self.file, f"offset {offset}", error))

    def add(self, record: Any, offset: int, options: ReadOptions) -> None:
        """Read one document record; it becomes a row, an `Unreadable`, or nothing (not text)."""
        headers = record.rec_headers
        http = record.http_headers
        if record.rec_type == "response":
            if http is None or not (http.get_statuscode() or "").startswith("2"):
                return
            content_type = http.get_header("Content-Type")
        else:
            content_type = headers.get_header("Content-Type")
        mime = (content_type or "text/html").split(";")[0].strip().lower()
        if record.rec_type != "conversion" and mime not in TEXT_TYPES:
            return
        row = self.next_row
        self.next_row += 1
        position = f"offset {offset}"
        try:
            payload = record.content_stream().read(options.max_record_bytes + 1)
        except (*WARC_ERRORS, OSError) as exc:
            self.bad.append(unreadable(self.file, position, f"cannot read payload ({_short(exc)})"))
            return
        if len(payload) > options.max_record_bytes:
            error = f"record over max_record_bytes ({options.max_record_bytes} bytes)"
            self.bad.append(unreadable(self.file, position, error, payload))
            return
        missing = getattr(record.raw_stream, "limit", 0)
        if missing > 0:
            error = f"record cut short: {missing} bytes of its block are missing"
            self.bad.append(unreadable(self.file, position, error, payload))
            return
        if record.rec_type == "conversion":
            try:
                text = payload.decode("utf-8")
            except UnicodeDecodeError as exc:
                error = f"invalid UTF-8 at byte {exc.start}"
                self.bad.append(unreadable(self.file, position, error, payload))
                return
        elif mime in HTML_TYPES:
            text = html_to_text(decode_html(payload, content_type))
        else:
            text = decode_html(payload, content_type)
        if record.format == "arc":  # no record ids in ARC: a generated one keeps output stable
            self.ids.append(None)
            self.urls.append(headers.get_header("uri"))
            self.dates.append(timestamp_to_iso_date(headers.get_header("archive-date") or ""))
        else:
            self.ids.append(headers.get_header("WARC-Record-ID"))
            self.urls.append(headers.get_header("WARC-Target-URI"))
            self.dates.append(headers.get_header("WARC-Date"))
        self.texts.append(text)
        self.content_types.append(content_type)
        self.rows.append(row)
        self.bytes += len(payload)

    def flush(self) -> ReadChunk:
        if not self.rows:
            chunk = ReadChunk(table=empty_table(PASSTHROUGH_SCHEMA), unreadable=self.bad)
        else:
            passthrough = pa.table(
                [pa.array(self.dates, pa.string()), pa.array(self.content_types, pa.string())],
                schema=PASSTHROUGH_SCHEMA,
            )
            table = canonical_table(
                self.file,
                self.file_index,
                ids=pa.array(self.ids, pa.string()),
                texts=pa.array(self.texts, pa.string()),
                urls=pa.array(self.urls, pa.string()),
                rows=pa.array(self.rows, pa.int64()),
                passthrough=passthrough,
            )
            chunk = ReadChunk(table=table, unreadable=self.bad)
        self._reset()
        return chunk


def decode_html(payload: bytes, content_type: str | None) -> str:
    """Decode a web payload: the HTTP charset, else a `<meta charset>`, else UTF-8, else cp1252."""
    candidates = []
    if content_type and "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=")[1].split(";")[0].strip(" \"'"))
    match = META_CHARSET.search(payload[:META_SNIFF_BYTES])
    if match:
        candidates.append(match.group(1).decode("ascii").lower())
    for charset in [*candidates, "utf-8"]:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("cp1252", errors="replace")


# Tags whose content is not text, and tags that start a new line.
SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "canvas"}
)
BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "caption", "dd", "details"),
        *("dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p"),
        *("pre", "section", "summary", "table", "td", "th", "tr", "ul"),
    }
)
WHITESPACE = re.compile(r"\s+")


class _TextCollector(HTMLParser):
    """Collects the text of an HTML document, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skipping.clear()  # an unclosed <head> ends here
        elif tag in SKIPPED_TAGS:
            self.skipping.append(tag)
        elif tag in BLOCK_TAGS and not self.skipping:
            self.parts.append("\n")
            self.in_pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS and not self.skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in BLOCK_TAGS and not self.skipping:
            self.parts.append("\n")
            if tag == "pre" and self.in_pre:
                self.in_pre -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data if self.in_pre else WHITESPACE.sub(" ", data))


def html_to_text(html: str) -> str:
    """The visible text of `html`: no scripts, styles or head; runs of whitespace become one space
    (except in `<pre>`); one line per block element; no empty lines."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)
