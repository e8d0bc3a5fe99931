"""Cut a zstd stream into pieces that each decompress to a bounded amount of data.

zstandard's `decompressobj` returns everything one call's input decompresses to, and a few bytes of
zstd can stand for a lot: a run-length block is 4 bytes for up to 128 KiB, so 16 KiB of a crafted
stream would be 512 MiB of output in one call. `ZstdFeedCutter` reads the frame and block headers
(RFC 8878, section 3.1) and ends each piece after at most `max_blocks` block headers, so that a
piece decompresses to at most `max_blocks` x 128 KiB (the largest block) plus the end of the block
fed before it. Pieces never cross the end of a frame, so each frame's decoder sees exactly its own
bytes.

Bytes that are not a frame this module knows (another magic number) are handed over in pieces of
`FALLBACK_BYTES`; the decoder then either rejects them or decodes a legacy frame.
"""

from __future__ import annotations

ZSTD_MAGIC = 0xFD2FB528
SKIPPABLE_MAGIC_MASK = 0xFFFFFFF0
SKIPPABLE_MAGIC = 0x184D2A50
MAX_BLOCK_BYTES = 128 << 10  # a block never decompresses to more (RFC 8878, Block_Maximum_Size)
FALLBACK_BYTES = 1 << 10
DICTIONARY_ID_BYTES = (0, 1, 2, 4)
CONTENT_SIZE_BYTES = (0, 2, 4, 8)


class ZstdFeedCutter:
    """Tracks where the next frame header, block header and frame end are in a zstd stream."""

    def __init__(self, max_blocks: int = 8) -> None:
        self.max_blocks = max_blocks
        self._skip = 0  # bytes of payload (block, checksum, skippable frame) still to pass
        self._in_frame = False
        self._last_block = False
        self._checksum = False
        self._unknown = False

    def next_piece(self, data: bytes | memoryview) -> tuple[int, bool]:
        """(how many leading bytes of `data` to feed next, whether a frame ends there).

        Returns `(0, False)` when `data` is too short to read the next header: append more input.
        """
        if self._unknown:
            return min(len(data), FALLBACK_BYTES), False
        pos, blocks = 0, 0
        while pos < len(data):
            if self._skip:
                step = min(self._skip, len(data) - pos)
                pos += step
                self._skip -= step
                if self._skip:
                    return pos, False
                if self._frame_done():
                    return pos, True
                continue
            if not self._in_frame:
                header = _frame_header(data[pos:])
                if header is None:
                    return pos, False
                kind, size = header
                if kind == "unknown":
                    self._unknown = True
                    return (pos, False) if pos else (min(len(data), FALLBACK_BYTES), False)
                pos += size
                if kind == "skippable":
                    self._skip = int.from_bytes(bytes(data[pos - 4 : pos]), "little")
                    self._in_frame, self._last_block, self._checksum = True, True, False
                    if not self._skip:
                        self._in_frame = False
                        return pos, True
                else:
                    self._in_frame, self._last_block = True, False
                    self._checksum = bool(data[pos - size + 4] & 0x04)
                continue
            if blocks == self.max_blocks:
                return pos, False
            if len(data) - pos < 3:
                return pos, False
            header = int.from_bytes(bytes(data[pos : pos + 3]), "little")
            pos += 3
            blocks += 1
            self._last_block = bool(header & 1)
            block_type, block_size = (header >> 1) & 3, header >> 3
            self._skip = 1 if block_type == 1 else block_size  # run-length: one byte of payload
            if self._last_block and self._checksum:
                self._skip += 4
            if not self._skip and self._frame_done():
                return pos, True
        return pos, False

    def _frame_done(self) -> bool:
        """At the end of a payload: True (and back to 'between frames') if it ended the frame."""
        if self._last_block:
            self._in_frame = False
            return True
        return False


def _frame_header(data: bytes | memoryview) -> tuple[str, int] | None:
    """("zstd" | "skippable" | "unknown", header bytes) of the frame starting `data`, or None if
    `data` is too short to tell."""
    if len(data) < 4:
        return None
    magic = int.from_bytes(bytes(data[:4]), "little")
    if magic & SKIPPABLE_MAGIC_MASK == SKIPPABLE_MAGIC:
        return ("skippable", 8) if len(data) >= 8 else None
    if magic != ZSTD_MAGIC:
        return "unknown", 0
    if len(data) < 5:
        return None
    descriptor = data[4]
    single_segment = bool(descriptor & 0x20)
    size = 5 + (0 if single_segment else 1) + DICTIONARY_ID_BYTES[descriptor & 3]
    content_flag = descriptor >> 6
    size += 1 if content_flag == 0 and single_segment else CONTENT_SIZE_BYTES[content_flag]
    return ("zstd", size) if len(data) >= size else None
