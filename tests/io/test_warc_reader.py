from __future__ import annotations

import io
from pathlib import Path

import pytest
from input_fixtures import good_table, input_file, positions, read_all, write_file
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.io.warc_reader import decode_html, html_to_text
from pipeline.schema import CORE_FIELDS

WARC_START = b"WARC/1.0\r\n"  # what warcio's writer starts a record with
WET_TEXTS = [
    "Harbour reopens after storm\nShips returned on Monday.",
    "Council approves budget\nThe vote was 7 to 2.",
    "Library extends hours\nOpen until nine.",
]


def wet_bytes(texts: list[str], *, gzip: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.wet", {"software": "tests"}))
    for i, text in enumerate(texts):
        payload = text.encode()
        record = writer.create_warc_record(
            f"https://town.example/{i}",
            "conversion",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type="text/plain",
            warc_headers_dict={
                "WARC-Record-ID": f"<urn:uuid:wet-{i}>",
                "WARC-Date": f"2024-05-0{i + 1}T10:00:00Z",
            },
        )
        writer.write_record(record)
    return buffer.getvalue()


def response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    *,
    status: str = "200 OK",
    content_type: str = "text/html; charset=utf-8",
    record_id: str,
) -> None:
    http = StatusAndHeaders(
        status,
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Record-ID": record_id, "WARC-Date": "2024-05-01T00:00:00Z"},
    )
    writer.write_record(record)


ARTICLE = (
    b"<html><head><title>Ignored title</title><style>p {color: red}</style></head>"
    b"<body><nav>Home | News</nav><h1>Storm  closes\n harbour</h1>"
    b"<script>var x = '<p>not text</p>';</script>"
    b"<p>Ships stayed in port &amp; waited.<br>Crews rested.</p>"
    b"<ul><li>First</li><li>Second</li></ul></body></html>"
)


def warc_bytes(*, gzip: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    get = b"GET /a HTTP/1.1\r\n\r\n"
    request = writer.create_warc_record(
        "https://port.example/a", "request", payload=io.BytesIO(get), length=len(get)
    )
    writer.write_record(request)
    response(writer, "https://port.example/a", ARTICLE, record_id="<urn:uuid:a>")
    response(
        writer,
        "https://port.example/gone",
        b"<p>Not found</p>",
        status="404 Not Found",
        record_id="<urn:uuid:404>",
    )
    response(
        writer,
        "https://port.example/logo.png",
        b"\x89PNG\r\n",
        content_type="image/png",
        record_id="<urn:uuid:png>",
    )
    response(
        writer,
        "https://port.example/latin",
        "<p>Caf\u00e9 na\u00efve</p>".encode("cp1252"),
        content_type="text/html; charset=windows-1252",
        record_id="<urn:uuid:latin>",
    )
    response(
        writer,
        "https://port.example/plain",
        b"Plain  text\nbody",
        content_type="text/plain",
        record_id="<urn:uuid:plain>",
    )
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "gzip"), [("crawl.warc.wet", False), ("crawl.warc.wet.gz", True)])
def test_wet_conversion_records_give_text(tmp_path: Path, name: str, gzip: bool) -> None:
    path = write_file(tmp_path / name, wet_bytes(WET_TEXTS, gzip=gzip))
    chunks = read_all(input_file(path), file_index=1, batch_size=2)
    assert [c.table.num_rows for c in chunks] == [2, 1]
    table = good_table(chunks)
    assert positions(chunks) == []
    assert table.column_names == [f.name for f in CORE_FIELDS] + ["warc_date", "content_type"]
    assert table["id"].to_pylist() == ["<urn:uuid:wet-0>", "<urn:uuid:wet-1>", "<urn:uuid:wet-2>"]
    assert table["text"].to_pylist() == WET_TEXTS
    assert table["url"].to_pylist() == [f"https://town.example/{i}" for i in range(3)]
    assert table["warc_date"].to_pylist() == [f"2024-05-0{i}T10:00:00Z" for i in (1, 2, 3)]
    assert table["content_type"].to_pylist() == ["text/plain"] * 3
    assert table["_source_row"].to_pylist() == [0, 1, 2]


@pytest.mark.parametrize("gzip", [False, True])
def test_warc_responses_become_text_and_non_documents_are_skipped(
    tmp_path: Path, gzip: bool
) -> None:
    path = write_file(tmp_path / ("a.warc.gz" if gzip else "a.warc"), warc_bytes(gzip=gzip))
    chunks = read_all(input_file(path))
    table = good_table(chunks)
    assert positions(chunks) == []
    assert table.select(["id", "text", "url", "content_type", "_source_row"]).to_pylist() == [
        {
            "id": "<urn:uuid:a>",
            "text": "Home | News\nStorm closes harbour\nShips stayed in port & waited.\n"
            "Crews rested.\nFirst\nSecond",
            "url": "https://port.example/a",
            "content_type": "text/html; charset=utf-8",
            "_source_row": 0,
        },
        {
            "id": "<urn:uuid:latin>",
            "text": "Caf\u00e9 na\u00efve",
            "url": "https://port.example/latin",
            "content_type": "text/html; charset=windows-1252",
            "_source_row": 1,
        },
        {
            "id": "<urn:uuid:plain>",
            "text": "Plain  text\nbody",
            "url": "https://port.example/plain",
            "content_type": "text/plain",
            "_source_row": 2,
        },
    ]


def test_truncated_warc_gives_the_records_before_and_one_unreadable(tmp_path: Path) -> None:
    data = wet_bytes(WET_TEXTS, gzip=False)
    last = data.rindex(WARC_START)
    path = write_file(tmp_path / "a.wet", data[: last + 60])  # cut inside the last header
    chunks = read_all(input_file(path))
    assert good_table(chunks)["text"].to_pylist() == WET_TEXTS[:2]
    assert positions(chunks) == [
        (
            f"offset {last}",
            "WARC record header is incomplete (no Content-Length): truncated or corrupt file",
        )
    ]


def test_truncated_payload_is_unreadable(tmp_path: Path) -> None:
    data = wet_bytes(WET_TEXTS, gzip=False)
    last = data.rindex(WARC_START)
    cut = data.rindex(WET_TEXTS[2].encode()) + 10  # inside the last payload
    path = write_file(tmp_path / "a.wet", data[:cut])
    chunks = read_all(input_file(path))
    assert good_table(chunks)["text"].to_pylist() == WET_TEXTS[:2]
    [(position, error)] = positions(chunks)
    assert position == f"offset {last}"
    assert error in (
        f"{cut - last} bytes after the last record are not a WARC record "
        "(truncated or corrupt file)",
        f"record cut short: {len(WET_TEXTS[2]) - 10} bytes of its block are missing",
    )


def test_broken_header_skips_the_rest_of_the_file(tmp_path: Path) -> None:
    data = wet_bytes(WET_TEXTS, gzip=False)
    second = data.index(WARC_START, data.index(b"<urn:uuid:wet-0>"))
    broken = data[:second] + b"NOT A WARC HEADER\r\n" + data[second:]
    path = write_file(tmp_path / "a.wet", broken)
    chunks = read_all(input_file(path))
    assert good_table(chunks)["text"].to_pylist() == WET_TEXTS[:1]
    [(position, error)] = positions(chunks)
    assert position == f"offset {second}"
    assert error.startswith("cannot parse WARC record (")
    assert error.endswith("); the rest of the file is skipped")


def test_garbage_named_warc_is_one_unreadable(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.warc.gz", bytes(range(256)) * 4)
    chunks = read_all(input_file(path))
    [(position, error)] = positions(chunks)
    assert position == "offset 0"
    assert error.startswith("cannot parse WARC record (")


def test_record_over_max_record_bytes_is_unreadable_and_reading_goes_on(tmp_path: Path) -> None:
    texts = [WET_TEXTS[0], "x" * 3000, WET_TEXTS[2]]
    data = wet_bytes(texts, gzip=True)
    chunks = read_all(input_file(write_file(tmp_path / "a.wet.gz", data)), max_record_bytes=2048)
    table = good_table(chunks)
    assert table["text"].to_pylist() == [WET_TEXTS[0], WET_TEXTS[2]]
    assert table["_source_row"].to_pylist() == [0, 2]
    [(position, error)] = positions(chunks)
    assert position.startswith("offset ")
    assert error == "record over max_record_bytes (2048 bytes)"


def test_html_to_text_drops_markup_keeps_block_lines() -> None:
    html = (
        "<html><head><title>t</title><body><div>One <b>bold</b>\n word</div>"
        "<table><tr><td>cell</td></tr></table><!-- comment --><noscript>no</noscript>"
        "<p>A&nbsp;B &lt;tag&gt;</p><svg><text>drawn</text></svg>End"
    )
    assert html_to_text(html) == "One bold word\ncell\nA B <tag>\nEnd"


def test_html_to_text_survives_broken_markup() -> None:
    assert html_to_text("<p>open <b>never closed <div>x</p></span>< not a tag") == (
        "open never closed\nx\n< not a tag"
    )


def test_decode_html_charset_order() -> None:
    latin = "Café".encode("cp1252")
    assert decode_html(latin, "text/html; charset=windows-1252") == "Café"
    assert decode_html(b'<meta charset="iso-8859-1">' + latin, "text/html") == (
        '<meta charset="iso-8859-1">Café'
    )
    assert decode_html("Café".encode(), None) == "Café"
    assert decode_html(latin, "text/html; charset=no-such-charset") == "Café"


def arc_bytes() -> bytes:
    """A version-1 ARC file: a file description record and one HTTP response."""
    description = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    body = (
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n"
        b"<html><body><h1>Old page</h1><p>From 2005.</p></body></html>"
    )
    return (
        b"filedesc://old.arc 0.0.0.0 20050614070144 text/plain %d\n" % len(description)
        + description
        + b"\n"
        + b"http://old.example/ 192.0.2.1 20050614070159 text/html %d\n" % len(body)
        + body
        + b"\n"
    )


def test_arc_records_get_generated_ids_and_header_line_fields(tmp_path: Path) -> None:
    path = write_file(tmp_path / "old.arc", arc_bytes())
    chunks = read_all(input_file(path))
    assert positions(chunks) == []
    assert good_table(chunks).to_pylist() == [
        {
            "id": "old.arc:0",
            "text": "Old page\nFrom 2005.",
            "url": "http://old.example/",
            "_source_file": 0,
            "_source_row": 0,
            "_seq": 0,
            "warc_date": "2005-06-14T07:01:59Z",
            "content_type": "text/html",
        }
    ]
