"""Turn the user's input paths (files, directories, globs, URIs) into a sorted list of input files.

Rules:
* a file is taken as it is, even when its name starts with `.` or `_`;
* a directory is walked recursively; names starting with `.` or `_` (`.git`, `_SUCCESS`,
  `_temporary/`) are skipped at every level below it;
* a glob (`*`, `?`, `[...]`, `**`) is expanded by the filesystem; the same names are skipped below
  the glob's literal prefix, and directories it matches are walked;
* URIs (`s3://`, `gs://`, `file://` ...) work for all three.

The result is sorted by URI with duplicates removed, so file indices (and `_seq`) are the same on
every run. The format comes from the file name unless `format` says otherwise.

Each file also gets a `name` for generated ids: its path below the directory or the glob's literal
prefix that found it (`2024/part-0.jsonl`), or its file name when it was named directly. A name
two files would share (`a/x.jsonl` and `b/x.jsonl` given as two directories) is replaced by the
file's URI for both, so generated ids never collide.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from pipeline.io.filesystems import InputError, display_uri, filesystem_for
from pipeline.io.source import InputFile

FORMATS = ("jsonl", "parquet", "warc", "txt")
COMPRESSION_SUFFIXES = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd"}
# Extension (after removing a compression suffix) -> (format, compressions allowed).
FORMAT_SUFFIXES: dict[str, tuple[str, tuple[str | None, ...]]] = {
    ".jsonl": ("jsonl", (None, "gzip", "zstd")),
    ".json": ("jsonl", (None, "gzip", "zstd")),
    ".ndjson": ("jsonl", (None, "gzip", "zstd")),
    ".parquet": ("parquet", (None,)),
    ".pq": ("parquet", (None,)),
    ".warc": ("warc", (None, "gzip")),
    ".wet": ("warc", (None, "gzip")),
    ".arc": ("warc", (None, "gzip")),
    ".txt": ("txt", (None, "gzip", "zstd")),
}
KNOWN_NAMES = (
    ".jsonl .json .ndjson (+ .gz .zst), .parquet .pq, .warc .wet .arc (+ .gz), .txt (+ .gz .zst)"
)
GLOB_CHARS = frozenset("*?[")

__all__ = ["InputError", "detect_format", "discover_inputs"]


def discover_inputs(
    paths: Sequence[str],
    *,
    format: str = "auto",
    storage_options: Mapping[str, Any] | None = None,
) -> list[InputFile]:
    """Resolve `paths` to input files, sorted by URI, duplicates removed.

    Raises:
        InputError: a path matches nothing, a file's format cannot be told from its name, or the
            filesystem its URI needs is not installed.
    """
    if isinstance(paths, str):
        paths = [paths]
    if not paths:
        raise InputError("no input paths given (set input.paths or pass --input)")
    if format != "auto" and format not in FORMATS:
        raise InputError(f"unknown input format {format!r} (one of: auto, {', '.join(FORMATS)})")
    found: dict[str, InputFile] = {}
    names: dict[str, str] = {}
    for path in paths:
        fs, stripped = filesystem_for(path, storage_options)
        if isinstance(fs, LocalFileSystem):
            stripped = os.path.normpath(stripped)
        try:
            root, matches = _expand(fs, stripped)
        except (OSError, TypeError) as exc:  # credentials, permissions, bad storage_options
            raise InputError(f"cannot list {path!r}: {type(exc).__name__}: {exc}") from None
        if not matches:
            raise InputError(f"no input files match {path!r}")
        for file_path, size in matches:
            uri = display_uri(fs, file_path)
            file_format, compression = detect_format(uri, format)
            found[uri] = InputFile(uri=uri, format=file_format, size=size, compression=compression)
            names.setdefault(uri, _name_below(root, file_path))
    unique = _unique_names(names)
    return [replace(found[uri], name=unique[uri]) for uri in sorted(found)]


def detect_format(uri: str, format: str = "auto") -> tuple[str, str | None]:
    """(format, compression) of a file from its name; `format` other than "auto" wins."""
    name = uri.rstrip("/").rsplit("/", 1)[-1].lower()
    stem, suffix = os.path.splitext(name)
    compression = COMPRESSION_SUFFIXES.get(suffix)
    if compression is not None:
        stem, suffix = os.path.splitext(stem)
    if format != "auto":
        return format, compression
    known = FORMAT_SUFFIXES.get(suffix)
    if known is None or compression not in known[1]:
        raise InputError(
            f"{uri}: cannot tell the input format from the file name (known: {KNOWN_NAMES}); "
            "set input.format, or remove the file from the input"
        )
    return known[0], compression


def _name_below(root: str, file_path: str) -> str:
    """`file_path` relative to `root` (its file name when it is not below it)."""
    prefix = root + "/" if root else ""
    if prefix and file_path.startswith(prefix):
        return file_path[len(prefix) :]
    return file_path.rsplit("/", 1)[-1]


def _unique_names(names: Mapping[str, str]) -> dict[str, str]:
    """`names` by URI, with every name that two URIs share replaced by the URI."""
    counts = Counter(names.values())
    return {uri: name if counts[name] == 1 else uri for uri, name in names.items()}


def _expand(fs: fsspec.AbstractFileSystem, path: str) -> tuple[str, list[tuple[str, int | None]]]:
    """The folder file names are taken below (`path` itself when it is a directory, the literal
    part of a glob, the parent of a file), and (path, size) of every input file `path` names."""
    parts = path.split("/")
    magic_at = next((i for i, part in enumerate(parts) if GLOB_CHARS & set(part)), None)
    if magic_at is None:
        if not fs.exists(path):
            return path, []
        info = fs.info(path)
        if info.get("type") == "directory":
            return path.rstrip("/"), _walk(fs, path)
        return path.rpartition("/")[0], [(path, _size(info))]
    root = "/".join(parts[:magic_at])
    out: list[tuple[str, int | None]] = []
    for match, info in sorted(fs.glob(path, detail=True).items()):
        if _hidden(match.split("/")[magic_at:]):
            continue
        if info.get("type") == "directory":
            out.extend(_walk(fs, match))
        else:
            out.append((match, _size(info)))
    return root, out


def _walk(fs: fsspec.AbstractFileSystem, directory: str) -> list[tuple[str, int | None]]:
    """Every file below `directory` whose path below it has no hidden part."""
    depth = len(directory.rstrip("/").split("/"))
    files = fs.find(directory, detail=True)
    return [
        (path, _size(info))
        for path, info in sorted(files.items())
        if info.get("type") != "directory" and not _hidden(path.split("/")[depth:])
    ]


def _hidden(parts: Iterable[str]) -> bool:
    return any(part.startswith((".", "_")) for part in parts if part)


def _size(info: Mapping[str, Any]) -> int | None:
    size = info.get("size")
    return int(size) if size is not None else None
