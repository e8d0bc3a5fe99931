"""Batch language identification that gives langdetect's answers, fast and deterministically.

For each document: langdetect's preprocessing, then (for texts longer than `windows x
window_chars`) a deterministic sample of first / middle / last windows, then langdetect's exact
n-gram extraction and seeded trials replayed by numba kernels. A document whose
sample is not clear-cut (top probability below `escalate_below`) is classified again on its whole
text, so that ambiguous documents get the same answer as full-text langdetect.

The answer depends only on the document's text and the seed: never on the batch it is in, the
number of workers or earlier documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pipeline.quality.language.ngrams import extract_ngrams
from pipeline.quality.language.prepare import CodePoints, prepare_texts
from pipeline.quality.language.profiles import LanguageProfiles, load_profiles
from pipeline.quality.language.trials import RandomStream, random_stream, replay_trials
from pipeline.quality.language.windows import sample_texts

UNDETERMINED = "und"
PROB_THRESHOLD = 0.1  # langdetect reports only languages above this probability


@dataclass(frozen=True)
class Identification:
    """Per document: language index into `languages` (-1: undetermined) and its probability."""

    languages: tuple[str, ...]
    index: np.ndarray  # int64
    score: np.ndarray  # float64, 0 for undetermined documents
    escalated: np.ndarray  # bool: classified a second time on the whole text

    def codes(self) -> pa.Array:
        """The language codes as an Arrow string array (`und` for undetermined)."""
        names = pa.array([*self.languages, UNDETERMINED], pa.string())
        return names.take(pa.array(np.where(self.index < 0, len(self.languages), self.index)))


class LanguageIdentifier:
    """Holds the per-worker tables (profiles, random stream); `identify` is pure."""

    def __init__(
        self,
        *,
        seed: int = 0,
        window_chars: int | None = 600,
        windows: int = 3,
        escalate_below: float | None = 0.99,
    ) -> None:
        self.seed = seed
        self.window_chars = window_chars
        self.windows = windows
        self.escalate_below = escalate_below
        self._profiles: LanguageProfiles | None = None
        self._stream: RandomStream | None = None

    def setup(self) -> None:
        """Load langdetect's profiles and the random stream (once per process)."""
        if self._profiles is None:
            self._profiles = load_profiles()
            self._stream = random_stream(self.seed)

    @property
    def profiles(self) -> LanguageProfiles:
        self.setup()
        assert self._profiles is not None
        return self._profiles

    def identify(self, texts: pa.Array) -> Identification:
        """Language and probability of each text (a string array without nulls)."""
        prepared = prepare_texts(texts)
        escalated = np.zeros(len(prepared), dtype=bool)
        if self.window_chars is None:
            return self._answer(self._probabilities(prepared), escalated)
        sample, was_sampled = sample_texts(
            prepared, window_chars=self.window_chars, windows=self.windows
        )
        probabilities = self._probabilities(sample)
        if self.escalate_below is not None:
            unclear = probabilities.max(axis=1, initial=0.0) < self.escalate_below
            rows = np.flatnonzero(unclear & was_sampled)
            if rows.size:
                probabilities[rows] = self._probabilities(prepared.take(rows))
                escalated[rows] = True
        return self._answer(probabilities, escalated)

    def _probabilities(self, texts: CodePoints) -> np.ndarray:
        """langdetect's `langprob` (documents x languages); all zeros: no features."""
        profiles = self.profiles
        assert self._stream is not None
        occurrences = extract_ngrams(texts, profiles)
        return replay_trials(occurrences.per_doc(), occurrences.row, profiles.probs, self._stream)

    def _answer(self, probabilities: np.ndarray, escalated: np.ndarray) -> Identification:
        n_docs = probabilities.shape[0]
        index = probabilities.argmax(axis=1) if n_docs else np.zeros(0, dtype=np.int64)
        score = probabilities[np.arange(n_docs), index] if n_docs else np.zeros(0)
        undetermined = score <= PROB_THRESHOLD
        return Identification(
            languages=self.profiles.languages,
            index=np.where(undetermined, -1, index).astype(np.int64),
            score=np.where(undetermined, 0.0, score),
            escalated=escalated,
        )
