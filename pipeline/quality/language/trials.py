"""langdetect's randomised trials, replayed for a whole batch of documents in lockstep.

`Detector._detect_block` seeds a `random.Random` with the factory seed, then runs 7 trials. Each
trial draws a smoothing `alpha = 0.5 + gauss() * 0.05` and then multiplies, one randomly chosen
n-gram at a time, every language's probability by `alpha / 10000 + P(n-gram | language)`; every 5th
draw it normalises and stops once one language passes 0.99999 (or after 1000 draws). The document's
probabilities are the mean of the 7 trials.

Because the generator is re-seeded for every document, all documents read the same stream of
32-bit Mersenne Twister words; they differ only in how many n-grams they have (which decides how a
word becomes an index) and in how long each trial runs. `replay_trials` precomputes that stream once
and advances every document of a batch by one draw per numpy step, with the same float64
operations in the same order as langdetect. The result equals `detect_langs` on the same text
(tested), at a small fraction of its cost, because only drawn n-grams are ever looked up.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass

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
    """The 32-bit outputs of `random.Random(seed)`, in order, as langdetect consumes them."""

    seed: int
    words: np.ndarray

    def ensure(self, size: int) -> None:
        """Make sure at least `size` words are available (regenerates from the seed)."""
        if size > self.words.size:
            self.words = _stream_words(self.seed, max(size, 2 * self.words.size))

    def gauss_pair(self, position: int) -> tuple[float, float]:
        """`random.gauss()` as computed from the four words at `position`: (value, cached next)."""
        a, b, c, d = (int(word) for word in self.words[position : position + 4])
        first = ((a >> 5) * 67108864.0 + (b >> 6)) * _RANDOM_SCALE
        second = ((c >> 5) * 67108864.0 + (d >> 6)) * _RANDOM_SCALE
        x2pi = first * _TWO_PI
        g2rad = math.sqrt(-2.0 * math.log(1.0 - second))
        return math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad


def _stream_words(seed: int, size: int) -> np.ndarray:
    generator = random.Random(seed)
    raw = generator.getrandbits(32 * size).to_bytes(4 * size, "little")
    return np.frombuffer(raw, dtype="<u4").astype(np.uint64)


@functools.lru_cache(maxsize=8)
def random_stream(seed: int) -> RandomStream:
    """The stream for `seed`, built once per process."""
    return RandomStream(seed=seed, words=_stream_words(seed, INITIAL_WORDS))


def replay_trials(
    counts: np.ndarray,
    rows: np.ndarray,
    probs: np.ndarray,
    stream: RandomStream,
) -> np.ndarray:
    """langdetect's averaged trial probabilities for each document of a batch.

    Every loop iteration advances each live document to its next convergence check: one draw at
    the start of a trial, five draws otherwise, multiplied in langdetect's order.

    Args:
        counts: number of profile n-grams of each document (0: no features, row of zeros).
        rows: the profile rows of all documents' n-grams, document after document, in text order.
        probs: `P(n-gram | language)`, one row per profile n-gram.
        stream: the random stream for the detector seed.

    Returns:
        A float64 array (documents x languages) equal to langdetect's `langprob`.
    """
    n_docs, n_langs = counts.size, probs.shape[1]
    langprob = np.zeros((n_docs, n_langs), dtype=np.float64)
    docs = np.flatnonzero(counts > 0)
    if docs.size == 0:
        return langprob
    state = _TrialState.start(docs, counts, stream, n_langs)
    while state.docs.size:
        drawn = _draw_block(stream, state)
        # Factors of the drawn n-grams (documents x 5 x languages), applied one draw at a time
        # as langdetect does; a trial's first check comes after one draw, so documents at the
        # start of a trial multiply the other four by exactly 1.0.
        factors = probs[rows[state.offset[:, None] + drawn]]
        factors += state.weight[:, None, None]
        starting = np.flatnonzero(state.step == 0)
        if starting.size:
            factors[starting, 1:] = 1.0
        block = state.prob
        for column in range(CHECK_EVERY):
            block *= factors[:, column]
        total = np.cumsum(block, axis=1)[:, -1]  # sequential, like Python's sum()
        block /= total[:, None]
        state.step += np.where(state.step == 0, 1, CHECK_EVERY)
        # langdetect's draw counter `i` is the number of draws so far minus one.
        converged = (block.max(axis=1) > CONV_THRESHOLD) | (state.step > ITERATION_LIMIT)
        finished = np.flatnonzero(converged)
        if finished.size:
            langprob[state.docs[finished]] += block[finished] / N_TRIAL
            state.next_trial(finished, stream, langprob)
    return langprob


# Words examined per block of five draws: each is accepted with probability above 1/2, so 24 words
# hold five accepted ones except about once in a thousand blocks (then a wider window is used).
WINDOW_WORDS = 24


@dataclass
class _TrialState:
    """Per-document state of the documents whose trials are still running (compacted)."""

    docs: np.ndarray
    offset: np.ndarray
    size: np.ndarray
    shift: np.ndarray
    pointer: np.ndarray
    trial: np.ndarray
    step: np.ndarray
    weight: np.ndarray
    cached: np.ndarray
    prob: np.ndarray

    @classmethod
    def start(
        cls, docs: np.ndarray, counts: np.ndarray, stream: RandomStream, n_langs: int
    ) -> _TrialState:
        size = counts[docs].astype(np.int64)
        bits = np.array([int(n).bit_length() for n in size], dtype=np.int64)
        first, cached_first = stream.gauss_pair(0)
        return cls(
            docs=docs,
            offset=(np.cumsum(counts) - counts)[docs].astype(np.int64),
            size=size,
            shift=(32 - bits).astype(np.uint64),
            pointer=np.full(docs.size, 4, dtype=np.int64),
            trial=np.zeros(docs.size, dtype=np.int64),
            step=np.zeros(docs.size, dtype=np.int64),
            weight=np.full(docs.size, (ALPHA_DEFAULT + first * ALPHA_WIDTH) / BASE_FREQ),
            cached=np.full(docs.size, cached_first),
            prob=np.full((docs.size, n_langs), 1.0 / n_langs),
        )

    def next_trial(self, finished: np.ndarray, stream: RandomStream, langprob: np.ndarray) -> None:
        """Start the next trial of the `finished` documents; drop those that ran all trials."""
        self.trial[finished] += 1
        self.step[finished] = 0
        self.prob[finished] = 1.0 / self.prob.shape[1]
        for index in finished[self.trial[finished] < N_TRIAL]:
            self.weight[index] = _next_weight(stream, index, self.trial, self.cached, self.pointer)
        live = np.flatnonzero(self.trial < N_TRIAL)
        if live.size < self.docs.size:
            for name in (
                "docs", "offset", "size", "shift", "pointer", "trial", "step", "weight",
                "cached", "prob",
            ):  # fmt: skip
                setattr(self, name, getattr(self, name)[live])


def _draw_block(stream: RandomStream, state: _TrialState) -> np.ndarray:
    """The indices of the next draws of every live document (`random.choice`: `getrandbits(k)`
    with rejection until below the number of n-grams): 1 at the start of a trial, else 5.

    Each document looks at the next `WINDOW_WORDS` words of the stream and takes the first
    accepted ones; the rare document with too few accepted words looks again at a wider window."""
    needed = np.where(state.step == 0, 1, CHECK_EVERY)
    drawn = np.zeros((state.docs.size, CHECK_EVERY), dtype=np.int64)
    pending = np.arange(state.docs.size)
    width = WINDOW_WORDS
    while pending.size:
        pointer = state.pointer[pending]
        stream.ensure(int(pointer.max()) + width)
        window = stream.words[pointer[:, None] + np.arange(width)]
        values = (window >> state.shift[pending, None]).astype(np.int64)
        accepted = values < state.size[pending, None]
        counts = accepted.sum(axis=1)
        enough = np.flatnonzero(counts >= needed[pending])
        _, columns = np.nonzero(accepted[enough])  # accepted positions, row by row, ascending
        first = np.cumsum(counts[enough]) - counts[enough]
        wanted = needed[pending[enough]]
        for draw in range(CHECK_EVERY):
            rows = np.flatnonzero(draw < wanted)
            positions = columns[first[rows] + draw]
            drawn[pending[enough[rows]], draw] = values[enough[rows], positions]
        state.pointer[pending[enough]] += columns[first + wanted - 1] + 1
        pending = np.delete(pending, enough)
        width *= 4
    return drawn


def _next_weight(
    stream: RandomStream,
    index: int,
    trial: np.ndarray,
    cached: np.ndarray,
    pointer: np.ndarray,
) -> float:
    """The smoothing weight of the next trial; `gauss()` computes two values and caches one."""
    if trial[index] % 2 == 1:
        value = float(cached[index])
    else:
        stream.ensure(int(pointer[index]) + 4)
        value, cached[index] = stream.gauss_pair(int(pointer[index]))
        pointer[index] += 4
    return (ALPHA_DEFAULT + value * ALPHA_WIDTH) / BASE_FREQ
