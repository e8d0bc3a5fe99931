"""A small PNG decoder (8-bit greyscale, RGB or RGBA, not interlaced) for the browser test.

Chromium writes its screenshots in this form. Rows filtered with None, Sub and Up are undone with
numpy; Average and Paeth depend on the pixel just decoded to their left, so they run in a plain
loop, which is fast enough for a screenshot of a few megapixels.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 6: 4}


def read_png(path: Path) -> np.ndarray:
    """The image as a `(height, width, channels)` uint8 array."""
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    offset, idat = len(SIGNATURE), []
    width = height = channels = 0
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in CHANNELS or interlace:
                raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}")
            channels = CHANNELS[colour]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        offset += 12 + length
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    image = np.zeros((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:]
        if kind == 0:
            out = line.copy()
        elif kind == 1:
            out = _undo_sub(line, channels)
        elif kind == 2:
            out = line + previous
        elif kind == 3:
            out = _undo_average(line, previous, channels)
        elif kind == 4:
            out = _undo_paeth(line, previous, channels)
        else:
            raise ValueError(f"bad PNG filter type {kind} in row {y}")
        image[y] = out
        previous = out
    return image.reshape(height, width, channels)


def _undo_sub(line: np.ndarray, channels: int) -> np.ndarray:
    pixels = line.reshape(-1, channels).astype(np.uint64)
    return (np.cumsum(pixels, axis=0) % 256).astype(np.uint8).reshape(-1)


def _undo_average(line: np.ndarray, previous: np.ndarray, channels: int) -> np.ndarray:
    out = bytearray(line.tobytes())
    up = previous.tobytes()
    for i in range(len(out)):
        left = out[i - channels] if i >= channels else 0
        out[i] = (out[i] + ((left + up[i]) >> 1)) & 0xFF
    return np.frombuffer(bytes(out), dtype=np.uint8)


def _undo_paeth(line: np.ndarray, previous: np.ndarray, channels: int) -> np.ndarray:
    out = bytearray(line.tobytes())
    up = previous.tobytes()
    for i in range(len(out)):
        if i >= channels:
            a, c = out[i - channels], up[i - channels]
        else:
            a = c = 0
        b = up[i]
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
        out[i] = (out[i] + predictor) & 0xFF
    return np.frombuffer(bytes(out), dtype=np.uint8)
