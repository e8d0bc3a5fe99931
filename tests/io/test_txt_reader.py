from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from input_fixtures import compress, good_table, input_file, positions, read_all, write_file

from pipeline.io.discover import discover_inputs

STORY = "Storm closes harbour\n\nThe harbour was closed on Monday.\nCafé owners\u2019 worries grew."


@pytest.mark.parametrize(("suffix", "compression"), [("", None), (".gz", "gzip"), (".zst", "zstd")])
def test_one_file_is_one_record(tmp_path: Path, suffix: str, compression: str | None) -> None:
    path = write_file(tmp_path / f"story.txt{suffix}", compress(STORY.encode(), compression))
    chunks = read_all(input_file(path), file_index=4)
    assert positions(chunks) == []
    assert good_table(chunks).to_pylist() == [
        {
            "id": f"story.txt{suffix}",
            "text": STORY,
            "url": None,
            "_source_file": 4,
            "_source_row": 0,
            "_seq": (4 << 40),
        }
    ]


def test_directory_of_text_files(tmp_path: Path) -> None:
    write_file(tmp_path / "docs" / "b.txt", b"second")
    write_file(tmp_path / "docs" / "a.txt", b"\xef\xbb\xbffirst")
    files = discover_inputs([str(tmp_path / "docs")])
    texts = [good_table(read_all(f, i))["text"][0].as_py() for i, f in enumerate(files)]
    assert texts == ["first", "second"]


def test_invalid_utf8_is_one_unreadable(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.txt", b"fine so far \xff\xfe then broken")
    assert positions(read_all(input_file(path))) == [("file", "invalid UTF-8 at byte 12")]


def test_file_over_max_record_bytes_is_one_unreadable(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.txt.gz", gzip.compress(b"x" * 5000))
    assert positions(read_all(input_file(path), max_record_bytes=4096)) == [
        ("file", "record over max_record_bytes (4096 bytes)")
    ]


def test_truncated_gzip_text_is_one_unreadable(tmp_path: Path) -> None:
    data = gzip.compress(STORY.encode() * 50)
    path = write_file(tmp_path / "a.txt.gz", data[: len(data) // 2])
    assert positions(read_all(input_file(path))) == [("file", "truncated gzip stream")]


def test_empty_file_is_a_record_with_empty_text(tmp_path: Path) -> None:
    path = write_file(tmp_path / "empty.txt", b"")
    assert good_table(read_all(input_file(path)))["text"].to_pylist() == [""]
