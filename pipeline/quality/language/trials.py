"""langdetect's randomised trials, replayed document by document in a numba kernel.

`Detector._detect_block` seeds a `random.Random` with the factory seed, then runs 7 trials. Each
trial draws a smoothing `alpha = 0.5 + gauss() * 0.05` and then multiplies, one randomly chosen
n-gram at a time, every language's probability by `alpha / 10000 + P(n-gram | language)`; every 5th
draw it normalises and stops once one language passes 0.99999 (or after 1000 draws). The document's
probabilities are the mean of the 7 trials.

Because the generator is re-seeded for every document, all documents read the same stream of
32-bit Mersenne Twister words; they differ only in how many n-grams they have (which decides how a
word becomes an index) and in how long each trial runs. `replay_trials` precomputes that stream
(and the Gaussian that `gauss()` would compute at each position, with Python's own `math`) once per
process, and the kernel runs langdetect's loop on it with the same float64 operations in the same
order. The result equals `detect_langs` on the same text (tested).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numba
import numpy as np

# Constants of langdetect's Detector (langdetect 1.0.9).
ALPHA_DEFAULT = 0.5
ALPHA_WIDTH = 0.05
BASE_FREQ = 10_000
N_TRIAL = 7
ITERATION_LIMIT = 1000
CONV_THRESHOLD = 0.99999
CHECK_EVERY = 5
# Words of the stream a document can use: 7 trials of at most 1001 draws; a draw needs fewer than
# 2 words on average (rejection sampling) and the Gaussians 16 more. The stream grows on demand.
INITIAL_WORDS = 1 << 15

_TWO_PI = 2.0 * math.pi
_RANDOM_SCALE = 1.0 / 9007199254740992.0


@dataclass
class RandomStream:
    """The 32-bit outputs of `random.Random(seed)`, in order, as langdetect consumes them, and the
    pair of Gaussians `random.gauss()` computes from the four words at each position."""

    seed: int
    words: np.ndarray  # uint64
    gauss_first: np.ndarray  # float64, one per position but the last three
    gauss_second: np.ndarray

    @classmethod
    def build(cls, seed: int, size: int) -> RandomStream:
        """The first `size` words of the stream for `seed` and their Gaussians."""
        generator = random.Random(seed)
        raw = generator.getrandbits(32 * size).to_bytes(4 * size, "little")
        words = np.frombuffer(raw, dtype="<u4").astype(np.uint64)
        # random() from two words, exactly: 53 bits scaled by a power of two.
        uniform = ((words[:-1] >> 5) * 67108864.0 + (words[1:] >> 6)) * _RANDOM_SCALE
        pairs = [
            _gauss_pair(x, y)
            for x, y in zip(uniform[:-2].tolist(), uniform[2:].tolist(), strict=True)
        ]
        first, second = np.array(pairs, dtype=np.float64).reshape(-1, 2).T
        return cls(seed, words, np.ascontiguousarray(first), np.ascontiguousarray(second))

    def grow(self) -> None:
        """Make the stream twice as long (the same words, then more)."""
        longer = RandomStream.build(self.seed, 2 * self.words.size)
        self.words = longer.words
        self.gauss_first, self.gauss_second = longer.gauss_first, longer.gauss_second

    def gauss_pair(self, position: int) -> tuple[float, float]:
        """`random.gauss()` as computed from the four words at `position`: (value, cached next)."""
        return float(self.gauss_first[position]), float(self.gauss_second[position])


def _gauss_pair(first: float, second: float) -> tuple[float, float]:
    """CPython's `random.gauss` (Box-Muller), from its two `random()` values."""
    x2pi = first * _TWO_PI
    g2rad = math.sqrt(-2.0 * math.log(1.0 - second))
    return math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad


_STREAMS: dict[int, RandomStream] = {}


def random_stream(seed: int) -> RandomStream:
    """The stream for `seed`, built once per process (and grown when a document needs more)."""
    if seed not in _STREAMS:
        _STREAMS[seed] = RandomStream.build(seed, INITIAL_WORDS)
    return _STREAMS[seed]


def replay_trials(
    counts: np.ndarray,
    rows: np.ndarray,
    probs: np.ndarray,
    stream: RandomStream,
) -> np.ndarray:
    """langdetect's averaged trial probabilities for each document of a batch.

    Args:
        counts: number of profile n-grams of each document (0: no features, row of zeros).
        rows: the profile rows of all documents' n-grams, document after document, in text order.
        probs: `P(n-gram | language)`, one row per profile n-gram.
        stream: the random stream for the detector seed.

    Returns:
        A float64 array (documents x languages) equal to langdetect's `langprob`.
    """
    langprob = np.zeros((counts.size, probs.shape[1]), dtype=np.float64)
    offsets = np.cumsum(counts) - counts
    docs = np.flatnonzero(counts > 0)
    while docs.size:
        docs = _replay_documents(
            docs,
            counts,
            offsets,
            rows,
            probs,
            stream.words,
            stream.gauss_first,
            stream.gauss_second,
            langprob,
        )
        if docs.size:  # rare: a document needed more of the stream than was built
            stream.grow()
    return langprob


@numba.njit(cache=True, nogil=True)
def _replay_documents(
    docs: np.ndarray,
    counts: np.ndarray,
    offsets: np.ndarray,
    rows: np.ndarray,
    probs: np.ndarray,
    words: np.ndarray,
    gauss_first: np.ndarray,
    gauss_second: np.ndarray,
    langprob: np.ndarray,
) -> np.ndarray:
    """`_detect_block`'s trials for each of `docs`, averaged into its row of `langprob`; returns
    the documents that ran out of stream words (their rows are left at zero)."""
    n_langs = probs.shape[1]
    prob = np.empty(n_langs, dtype=np.float64)
    block = np.empty(CHECK_EVERY, dtype=np.int64)
    exhausted = np.zeros(docs.size, dtype=np.bool_)
    for position, doc in enumerate(docs):
        size, offset = counts[doc], offsets[doc]
        # random.choice: getrandbits(k) (a word's top k bits), rejected until below `size`.
        shift = np.uint64(32 - _bit_length(size))
        pointer, cached = 0, 0.0
        for trial in range(N_TRIAL):
            if trial % 2 == 0:  # gauss() computes two values and keeps the second
                if pointer >= gauss_first.size:
                    exhausted[position] = True
                    break
                gauss, cached = gauss_first[pointer], gauss_second[pointer]
                pointer += 4
            else:
                gauss = cached
            weight = (ALPHA_DEFAULT + gauss * ALPHA_WIDTH) / BASE_FREQ
            prob[:] = 1.0 / n_langs
            # Draws between two convergence checks (after draw 0, 5, 10 ...) are chosen first,
            # so that the memory reads of their profile rows overlap.
            draws, wanted = 0, 1
            while True:
                for slot in range(wanted):
                    drawn = size
                    while drawn >= size and pointer < words.size:
                        drawn = np.int64(words[pointer] >> shift)
                        pointer += 1
                    block[slot] = rows[offset + drawn] if drawn < size else -1
                if block[wanted - 1] < 0:
                    exhausted[position] = True
                    break
                for slot in range(wanted):
                    row = block[slot]
                    for lang in range(n_langs):
                        prob[lang] *= weight + probs[row, lang]
                draws += wanted
                # langdetect's counter `i` is the number of draws so far minus one.
                if _normalise(prob) > CONV_THRESHOLD or draws - 1 >= ITERATION_LIMIT:
                    break
                wanted = CHECK_EVERY
            if exhausted[position]:
                break
            for lang in range(n_langs):
                langprob[doc, lang] += prob[lang] / N_TRIAL
        if exhausted[position]:
            langprob[doc] = 0.0
    return docs[exhausted]


@numba.njit(cache=True, nogil=True)
def _normalise(prob: np.ndarray) -> float:
    """`_normalize_prob`: divide by the sum (summed in order, as Python's `sum`); the maximum.

    The maximum is taken before dividing, in the same pass as the sum: a correctly rounded
    division by the same positive number keeps the order, so the largest quotient is the largest
    value divided (and the long chain of additions no longer waits for a second pass)."""
    total = 0.0
    largest = 0.0
    for value in prob:
        total += value
        largest = max(largest, value)
    prob /= total
    return largest / total


@numba.njit(cache=True, nogil=True)
def _bit_length(value: int) -> int:
    """`int.bit_length` of a positive integer."""
    bits = 0
    while value >> bits:
        bits += 1
    return bits
