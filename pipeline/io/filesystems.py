"""One place that turns a path or URI into a filesystem and opens input files for streaming.

Local paths, `file://`, `s3://`, `gs://` and every other fsspec protocol are resolved here, with the
config's `storage_options` (endpoint, region, anonymous access ...). Credentials never come from the
config: the filesystem libraries read them from the environment (`AWS_ACCESS_KEY_ID`,
`AWS_PROFILE`, `GOOGLE_APPLICATION_CREDENTIALS` ...).

Compressed inputs are decompressed here too, by `DecompressingReader`, which (unlike `gzip.GzipFile`
or zstandard's stream reader) tells a stream that ends in the middle of a member apart from one that
ends cleanly, and bounds how much it decompresses per step: 1 MiB of gzip output, and for zstd
at most 8 blocks (1 MiB plus a block), however small the compressed input (a "zip bomb").
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Mapping
from typing import Any, BinaryIO

import fsspec
import zstandard
from fsspec.implementations.local import LocalFileSystem

from pipeline.io.zstd_frames import ZstdFeedCutter

# Optional filesystem packages: protocol -> (module, pip hint).
OPTIONAL_FILESYSTEMS: dict[str, tuple[str, str]] = {
    "s3": ("s3fs", "pip install 'crawlsieve[s3]'"),
    "s3a": ("s3fs", "pip install 'crawlsieve[s3]'"),
    "gs": ("gcsfs", "pip install gcsfs"),
    "gcs": ("gcsfs", "pip install gcsfs"),
    "az": ("adlfs", "pip install adlfs"),
    "abfs": ("adlfs", "pip install adlfs"),
}
READ_BLOCK_BYTES = 1 << 20  # bytes asked from the filesystem per read
GZIP_OUTPUT_BYTES = 1 << 20  # decompressed bytes produced per gzip call
# zstd is fed at most 8 blocks per call (see zstd_frames.py): at most about 1.1 MiB of output.


class InputError(ValueError):
    """The input cannot be used at all: no file matches, unknown format, missing package."""


class StreamError(Exception):
    """A compressed stream is damaged: truncated, corrupt, or not of the expected format."""

    def __init__(self, message: str, *, at_start: bool) -> None:
        super().__init__(message)
        self.at_start = at_start  # True when not a single byte could be decompressed


def protocol_of(uri: str) -> str:
    """The URI's protocol (`s3`, `gs`, `file` ...), `file` for a plain local path."""
    head, sep, _ = uri.partition("://")
    return head.lower() if sep and head.isidentifier() else "file"


def filesystem_for(
    uri: str, storage_options: Mapping[str, Any] | None = None
) -> tuple[fsspec.AbstractFileSystem, str]:
    """The filesystem that holds `uri` and the path within it (protocol stripped)."""
    protocol = protocol_of(uri)
    if protocol in OPTIONAL_FILESYSTEMS:
        module, hint = OPTIONAL_FILESYSTEMS[protocol]
        try:
            __import__(module)
        except ImportError:
            raise InputError(
                f"reading {protocol}:// paths needs the optional package {module!r}: {hint}"
            ) from None
    try:
        return fsspec.core.url_to_fs(uri, **dict(storage_options or {}))
    except (ImportError, ValueError, TypeError) as exc:
        options = f" with storage_options {dict(storage_options)}" if storage_options else ""
        raise InputError(f"cannot open {uri!r}{options}: {exc}") from None


def display_uri(fs: fsspec.AbstractFileSystem, path: str) -> str:
    """The URI recorded for a file: an absolute path when local, `protocol://...` otherwise."""
    if isinstance(fs, LocalFileSystem):
        return path
    return fs.unstrip_protocol(path)


def open_raw(uri: str, storage_options: Mapping[str, Any] | None = None) -> BinaryIO:
    """Open `uri` for sequential binary reading, without decompressing."""
    fs, path = filesystem_for(uri, storage_options)
    return fs.open(path, "rb", block_size=READ_BLOCK_BYTES)


def open_decompressed(raw: BinaryIO, compression: str | None) -> io.BufferedReader:
    """A buffered reader of `raw`'s decompressed bytes (`compression`: gzip, zstd or None)."""
    if compression is None:
        return io.BufferedReader(_RawAdapter(raw), buffer_size=READ_BLOCK_BYTES)
    return io.BufferedReader(DecompressingReader(raw, compression), buffer_size=READ_BLOCK_BYTES)


class _RawAdapter(io.RawIOBase):
    """Lets `io.BufferedReader` wrap any binary file object (fsspec files are already buffered)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class DecompressingReader(io.RawIOBase):
    """Raw reader of a gzip or zstd stream (any number of members or frames).

    Raises `StreamError` when the stream is corrupt, is not of the format, or ends inside a member;
    the bytes decompressed before the damage are returned first, the error comes on the next read.
    """

    def __init__(self, raw: BinaryIO, compression: str) -> None:
        if compression not in ("gzip", "zstd"):
            raise ValueError(f"unknown compression {compression!r}")
        self._raw = raw
        self._compression = compression
        self._decoder: Any = None  # zlib or zstandard decompression object
        self._pending = b""  # decompressed, returned up to offset `_offset`
        self._offset = 0
        self._input = b""  # compressed, not yet fed (zstd: from offset `_fed` on)
        self._fed = 0
        self._cutter = ZstdFeedCutter()
        self._produced = 0
        self._member_open = False
        self._source_done = False
        self._error: StreamError | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._offset == len(self._pending):
            if self._error is not None:
                raise self._error
            if self._source_done and not self._unfed() and not self._member_open:
                return 0
            try:
                self._step()
            except (zlib.error, zstandard.ZstdError) as exc:
                kind = "not a" if self._produced == 0 else "corrupt"
                self._error = self._stream_error(f"{kind} {self._compression} stream ({exc})")
        size = min(len(buffer), len(self._pending) - self._offset)
        buffer[:size] = self._pending[self._offset : self._offset + size]
        self._offset += size
        return size

    def _unfed(self) -> int:
        """Compressed bytes read from the source and not yet given to the decoder."""
        return len(self._input) - self._fed

    def _stream_error(self, message: str) -> StreamError:
        return StreamError(message, at_start=self._produced == 0)

    def _step(self) -> None:
        """Feed some compressed input; refill it from the source when needed."""
        if not self._unfed() and not self._source_done:
            self._refill()
        if not self._unfed():
            if self._member_open:
                self._member_open = False
                self._error = self._stream_error(f"truncated {self._compression} stream")
            return
        if self._decoder is None or self._decoder.eof:
            self._decoder = self._new_decoder()
            self._member_open = True
        if self._compression == "gzip":
            out = self._decoder.decompress(self._input, GZIP_OUTPUT_BYTES)
            self._input = self._decoder.unconsumed_tail
        else:
            view = memoryview(self._input)[self._fed :]
            size, _ = self._cutter.next_piece(view)
            while size == 0 and not self._source_done:
                self._refill()
                view = memoryview(self._input)[self._fed :]
                size, _ = self._cutter.next_piece(view)
            size = size or len(view)  # the source ended inside a header: let the decoder judge
            out = self._decoder.decompress(view[:size])
            self._fed += size
        if self._decoder.eof:
            self._member_open = False
            rest = self._input[self._fed :] if self._compression == "zstd" else self._input
            self._input, self._fed = self._decoder.unused_data + rest, 0
        self._produced += len(out)
        self._pending, self._offset = out, 0

    def _refill(self) -> None:
        """Append the next block of compressed bytes from the source (dropping the fed ones)."""
        data = self._raw.read(READ_BLOCK_BYTES)
        self._source_done = not data
        self._input, self._fed = self._input[self._fed :] + data, 0

    def _new_decoder(self) -> Any:
        if self._compression == "gzip":
            return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        self._cutter = ZstdFeedCutter()
        return zstandard.ZstdDecompressor().decompressobj()

    def close(self) -> None:
        self._raw.close()
        super().close()
