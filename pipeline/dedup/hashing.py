"""Integer mixing functions shared by the dedup fingerprints, vectorised over numpy arrays.

All arithmetic is on unsigned arrays and wraps modulo 2^64 (or 2^32), which is the intended
behaviour: numpy never warns about overflow in array arithmetic, only in scalar arithmetic, so every
function here takes and returns arrays.

The constants are fixed forever: changing one changes every fingerprint, and with it every saved
dedup index (see `pipeline/dedup/index_store.py`, which records `FINGERPRINT_VERSION`).
"""

from __future__ import annotations

import numpy as np

# Bump when any fingerprint changes; saved indexes record it and refuse a mismatch. 2: an empty or
# null document after one ending in a word character no longer gives the next one an empty word.
FINGERPRINT_VERSION = 2

# MurmurHash3 finalizer constants (64-bit and 32-bit variants; fmix32 is in minhash.py).
FMIX64_M1 = np.uint64(0xFF51AFD7ED558CCD)
FMIX64_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT33 = np.uint64(33)
FMIX32_M1 = np.uint32(0x85EBCA6B)
FMIX32_M2 = np.uint32(0xC2B2AE35)

# Odd multipliers (digits of pi and e, made odd) for polynomial and positional mixing.
POLY_BASE = np.uint64(0x9E3779B97F4A7C15)
LANE_SALTS = (np.uint64(0x243F6A8885A308D3), np.uint64(0xB7E151628AED2A6B))
LENGTH_SALT = np.uint64(0x2545F4914F6CDD1D)  # a word's length, mixed into its hash
COUNT_SALT = np.uint64(0x9E6C63D0676A9A99)  # a document's word count, in its exact hash
NGRAM_WEIGHTS = np.array(
    [
        0x13198A2E03707345,
        0xA4093822299F31D1,
        0x082EFA98EC4E6C89,
        0x452821E638D01377,
        0xBE5466CF34E90C6D,
        0xC0AC29B7C97C50DD,
        0x3F84D5B5B5470917,
        0x9216D5D98979FB1B,
    ],
    dtype=np.uint64,
)
CHAR_SALT = np.uint64(0xD1310BA698DFB5AD)


def fmix64(values: np.ndarray, *, copy: bool = True) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, a bijection that spreads every input bit over the output.

    With `copy=False` a uint64 array is mixed in place (and returned).
    """
    h = np.asarray(values).astype(np.uint64, copy=copy)
    shifted = np.empty_like(h)
    for multiplier in (FMIX64_M1, FMIX64_M2):
        np.right_shift(h, _SHIFT33, out=shifted)
        h ^= shifted
        h *= multiplier
    np.right_shift(h, _SHIFT33, out=shifted)
    h ^= shifted
    return h


def ngram_weights(n: int) -> np.ndarray:
    """`n` odd 64-bit multipliers, one per position of an n-gram (derived beyond the table)."""
    if n <= len(NGRAM_WEIGHTS):
        return NGRAM_WEIGHTS[:n].copy()
    extra = fmix64(np.arange(len(NGRAM_WEIGHTS), n, dtype=np.uint64) + POLY_BASE)
    return np.concatenate([NGRAM_WEIGHTS, extra | np.uint64(1)])
