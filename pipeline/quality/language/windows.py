"""The bounded sample of a long text that is classified: its first, middle and last windows.

A text longer than `windows x window_chars` characters is replaced by `windows` evenly spaced
windows of `window_chars` characters (the first at the start, the last at the end) joined by
newlines; each window edge moves to nearby whitespace (within `SNAP_CHARS`) so no word is cut.
A numba kernel cuts the windows of a whole batch from its code points.
"""

from __future__ import annotations

import numba
import numpy as np

from pipeline.quality.language.prepare import CodePoints

# How far a window edge moves to land on whitespace instead of cutting a word.
SNAP_CHARS = 32
NEWLINE = 0x0A
# `str.isspace` (and the regular expression class `\s`) for the BMP: Unicode has no whitespace
# outside it.
_SPACES = np.array([chr(code).isspace() for code in range(0x10000)], dtype=np.bool_)


def sample_texts(
    texts: CodePoints, *, window_chars: int, windows: int
) -> tuple[CodePoints, np.ndarray]:
    """The sample of every text (the text itself when short enough), and which were cut."""
    codes, bounds, cut = _sample(
        texts.codes, texts.starts, texts.ends, window_chars, windows, _SPACES
    )
    return CodePoints(codes, bounds[:-1], bounds[1:]), cut


def sample_windows(text: str, *, window_chars: int, windows: int) -> str:
    """The sample of one text."""
    sample, _ = sample_texts(
        CodePoints.from_strings([text]), window_chars=window_chars, windows=windows
    )
    return sample.text(0)


@numba.njit(cache=True, nogil=True)
def _is_space(code: np.uint32, spaces: np.ndarray) -> bool:
    return code < spaces.size and spaces[code]


@numba.njit(cache=True, nogil=True)
def _sample(
    codes: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    window_chars: int,
    windows: int,
    spaces: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The samples' code points, where each begins and ends, and which texts were cut."""
    sizes = np.minimum(ends - starts, window_chars * windows + windows - 1)
    out = np.empty(sizes.sum(), dtype=np.uint32)
    bounds = np.zeros(starts.size + 1, dtype=np.int64)
    cut = np.zeros(starts.size, dtype=np.bool_)
    found = 0
    for text in range(starts.size):
        first, length = starts[text], ends[text] - starts[text]
        if length <= window_chars * windows:
            out[found : found + length] = codes[first : first + length]
            found += length
            bounds[text + 1] = found
            continue
        cut[text] = True
        span = length - window_chars
        for index in range(windows):
            start = span * index // (windows - 1) if windows > 1 else 0
            end = start + window_chars
            if start > 0:  # just after the first whitespace near the start
                for position in range(start, min(start + SNAP_CHARS, end)):
                    if _is_space(codes[first + position], spaces):
                        start = position + 1
                        break
            if end < length:  # at the last whitespace near the end
                for position in range(end - 1, max(end - SNAP_CHARS, start) - 1, -1):
                    if _is_space(codes[first + position], spaces):
                        end = position
                        break
            if index > 0:
                out[found] = NEWLINE
                found += 1
            out[found : found + end - start] = codes[first + start : first + end]
            found += end - start
        bounds[text + 1] = found
    return out[:found], bounds, cut
