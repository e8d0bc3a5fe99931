from __future__ import annotations

from pathlib import Path

import pytest
from input_fixtures import write_file

from pipeline.io.discover import InputError, detect_format, discover_inputs
from pipeline.io.source import InputFile


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """A crawl directory with shards, nested shards and files that are not input."""
    root = tmp_path / "crawl"
    write_file(root / "b.jsonl.gz", b"x" * 7)
    write_file(root / "a.jsonl", b"{}\n")
    write_file(root / "2024" / "c.jsonl.zst", b"zz")
    write_file(root / "_SUCCESS", b"")
    write_file(root / ".a.jsonl.crc", b"")
    write_file(root / "_temporary" / "d.jsonl", b"")
    write_file(root / "2024" / ".hidden" / "e.jsonl", b"")
    return root


def uris(files: list[InputFile]) -> list[str]:
    return [f.uri for f in files]


def test_directory_is_walked_recursively_skipping_hidden_and_underscore_names(crawl: Path) -> None:
    files = discover_inputs([str(crawl)])
    assert files == [
        InputFile(str(crawl / "2024" / "c.jsonl.zst"), "jsonl", 2, "zstd", "2024/c.jsonl.zst"),
        InputFile(str(crawl / "a.jsonl"), "jsonl", 3, None, "a.jsonl"),
        InputFile(str(crawl / "b.jsonl.gz"), "jsonl", 7, "gzip", "b.jsonl.gz"),
    ]


def test_glob_matches_one_level(crawl: Path) -> None:
    assert uris(discover_inputs([str(crawl / "*.jsonl*")])) == [
        str(crawl / "a.jsonl"),
        str(crawl / "b.jsonl.gz"),
    ]


def test_double_star_glob_recurses_and_skips_hidden(crawl: Path) -> None:
    assert uris(discover_inputs([str(crawl / "**" / "*.jsonl*")])) == [
        str(crawl / "2024" / "c.jsonl.zst"),
        str(crawl / "a.jsonl"),
        str(crawl / "b.jsonl.gz"),
    ]


def test_glob_matching_a_directory_walks_it(crawl: Path) -> None:
    assert uris(discover_inputs([str(crawl / "20*")])) == [str(crawl / "2024" / "c.jsonl.zst")]


def test_file_uri_relative_path_and_duplicates_give_one_sorted_entry(
    crawl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(crawl)
    files = discover_inputs(["b.jsonl.gz", f"file://{crawl}/a.jsonl", str(crawl), "./a.jsonl"])
    assert uris(files) == [
        str(crawl / "2024" / "c.jsonl.zst"),
        str(crawl / "a.jsonl"),
        str(crawl / "b.jsonl.gz"),
    ]


def test_a_file_named_explicitly_is_taken_even_if_hidden(crawl: Path) -> None:
    files = discover_inputs([str(crawl / "_temporary" / "d.jsonl")])
    assert uris(files) == [str(crawl / "_temporary" / "d.jsonl")]


def test_no_match_is_an_input_error(tmp_path: Path) -> None:
    pattern = str(tmp_path / "nothing" / "*.jsonl")
    with pytest.raises(InputError) as error:
        discover_inputs([pattern])
    assert str(error.value) == f"no input files match {pattern!r}"


def test_empty_directory_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write_file(tmp_path / "empty" / "_SUCCESS", b"")
    with pytest.raises(InputError, match="no input files match"):
        discover_inputs([str(tmp_path / "empty")])


def test_unknown_extension_under_auto_names_the_file(tmp_path: Path) -> None:
    write_file(tmp_path / "in" / "a.jsonl", b"")
    write_file(tmp_path / "in" / "notes.md", b"")
    with pytest.raises(InputError) as error:
        discover_inputs([str(tmp_path / "in")])
    assert str(error.value).startswith(
        f"{tmp_path / 'in' / 'notes.md'}: cannot tell the input format"
    )


def test_explicit_format_accepts_any_name_and_keeps_compression(tmp_path: Path) -> None:
    write_file(tmp_path / "dump.data.gz", b"")
    files = discover_inputs([str(tmp_path / "dump.data.gz")], format="jsonl")
    assert files == [InputFile(str(tmp_path / "dump.data.gz"), "jsonl", 0, "gzip", "dump.data.gz")]


def test_no_paths_and_unknown_format_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no input paths given"):
        discover_inputs([])
    with pytest.raises(InputError, match="unknown input format 'csv'"):
        discover_inputs([str(tmp_path)], format="csv")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.jsonl", ("jsonl", None)),
        ("a.JSONL.GZ", ("jsonl", "gzip")),
        ("a.json.zst", ("jsonl", "zstd")),
        ("a.ndjson.zstd", ("jsonl", "zstd")),
        ("a.parquet", ("parquet", None)),
        ("a.pq", ("parquet", None)),
        ("CC-MAIN-1.warc.gz", ("warc", "gzip")),
        ("CC-MAIN-1.warc.wet.gz", ("warc", "gzip")),
        ("a.wet", ("warc", None)),
        ("a.arc.gz", ("warc", "gzip")),
        ("a.txt", ("txt", None)),
        ("a.txt.gz", ("txt", "gzip")),
    ],
)
def test_format_from_extension(name: str, expected: tuple[str, str | None]) -> None:
    assert detect_format(f"s3://bucket/dir/{name}") == expected


@pytest.mark.parametrize("name", ["a.parquet.gz", "a.warc.zst", "a.csv", "README", "a.gz"])
def test_unsupported_names_are_input_errors(name: str) -> None:
    with pytest.raises(InputError, match=f"s3://b/{name}: cannot tell the input format"):
        detect_format(f"s3://b/{name}")


def test_missing_optional_filesystem_package_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name: str, *args: object, **kwargs: object) -> object:
        if name == "s3fs":
            raise ImportError("No module named 's3fs'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(InputError) as error:
        discover_inputs(["s3://bucket/crawl/*.jsonl.gz"])
    assert str(error.value) == (
        "reading s3:// paths needs the optional package 's3fs': pip install 'crawlsieve[s3]'"
    )


def names(files: list[InputFile]) -> list[str | None]:
    return [f.name for f in files]


def test_names_are_paths_below_the_directory_or_the_glob_prefix(crawl: Path) -> None:
    assert names(discover_inputs([str(crawl / "**" / "*.jsonl*")])) == [
        "2024/c.jsonl.zst",
        "a.jsonl",
        "b.jsonl.gz",
    ]
    assert names(discover_inputs([str(crawl / "2024" / "c.jsonl.zst")])) == ["c.jsonl.zst"]
    assert names(discover_inputs([f"file://{crawl}/"])) == names(discover_inputs([str(crawl)]))


def test_names_two_files_would_share_become_their_uris(tmp_path: Path) -> None:
    for day in ("mon", "tue"):
        write_file(tmp_path / day / "part-0.jsonl", b"{}\n")
    write_file(tmp_path / "tue" / "part-1.jsonl", b"{}\n")
    files = discover_inputs([str(tmp_path / "mon"), str(tmp_path / "tue")])
    assert names(files) == [
        str(tmp_path / "mon" / "part-0.jsonl"),
        str(tmp_path / "tue" / "part-0.jsonl"),
        "part-1.jsonl",
    ]
