"""The vectorised n-gram extraction and trial replay give exactly langdetect's results."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram
from language_fixtures import all_fixture_texts

from pipeline.quality.language import trials
from pipeline.quality.language.ngrams import extract_ngrams
from pipeline.quality.language.prepare import prepare_texts
from pipeline.quality.language.profiles import load_profiles, ngram_key
from pipeline.quality.language.trials import RandomStream, random_stream, replay_trials


@pytest.fixture(scope="module")
def factory() -> DetectorFactory:
    loaded = DetectorFactory()
    loaded.load_profile(PROFILES_DIRECTORY)
    return loaded


def profile_ngram(key: int) -> str:
    chars = []
    while key:
        chars.append(chr(key & 0xFFFF))
        key >>= 16
    return "".join(reversed(chars))


def langdetect_append(text: str) -> str:
    """What `Detector.append` does before collapsing spaces."""
    text = Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text))
    return NGram.normalize_vi(text)[:10_000]


def test_preparation_matches_langdetect() -> None:
    texts = all_fixture_texts()
    assert prepare_texts(pa.array(texts, pa.string())) == [langdetect_append(t) for t in texts]


@pytest.mark.slow
def test_ngram_sequence_matches_langdetect(factory: DetectorFactory) -> None:
    texts = all_fixture_texts()
    profiles = load_profiles()
    found = extract_ngrams(prepare_texts(pa.array(texts, pa.string())), profiles, chunk_chars=300)
    keys = profiles.keys.tolist()
    for index, text in enumerate(texts):
        detector = factory.create()
        detector.append(text)
        detector.cleaning_text()
        expected = detector._extract_ngrams()
        got = [profile_ngram(keys[row]) for row in found.row[found.doc == index].tolist()]
        assert got == expected, text


def test_hash_lookup_finds_every_profile_ngram_and_nothing_else() -> None:
    profiles = load_profiles()
    assert profiles.rows_of(profiles.keys).tolist() == list(range(profiles.keys.size))
    missing = np.array([ngram_key("\uffff"), ngram_key("q\uffff"), ngram_key("zzq")], np.uint64)
    assert profiles.rows_of(missing).tolist() == [-1, -1, -1]
    assert profiles.languages == tuple(sorted(profiles.languages))
    assert len(profiles.languages) == 55


@pytest.mark.parametrize("seed", [0, 7])
def test_random_stream_is_pythons(seed: int) -> None:
    stream = RandomStream(seed=seed, words=np.zeros(0, dtype=np.uint64))
    stream.ensure(64)
    generator = random.Random(seed)
    assert stream.words[:64].tolist() == [generator.getrandbits(32) for _ in range(64)]
    generator = random.Random(seed)
    assert stream.gauss_pair(0) == (generator.gauss(), generator.gauss())


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 7])
def test_trials_replay_langdetect_probabilities(factory: DetectorFactory, seed: int) -> None:
    texts = all_fixture_texts()
    profiles = load_profiles()
    found = extract_ngrams(prepare_texts(pa.array(texts, pa.string())), profiles)
    replayed = replay_trials(found.per_doc(), found.row, profiles.probs, random_stream(seed))
    factory.set_seed(seed)
    order = [profiles.languages.index(lang) for lang in factory.get_lang_list()]
    for index, text in enumerate(texts):
        detector = factory.create()
        detector.append(text)
        try:
            detector.get_probabilities()
        except LangDetectException:
            assert replayed[index].tolist() == [0.0] * 55, text
            continue
        expected = np.asarray(detector.langprob)
        np.testing.assert_allclose(replayed[index, order], expected, rtol=0, atol=1e-15)


def test_narrow_stream_windows_fall_back_to_wider_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = all_fixture_texts()
    profiles = load_profiles()
    found = extract_ngrams(prepare_texts(pa.array(texts, pa.string())), profiles)
    expected = replay_trials(found.per_doc(), found.row, profiles.probs, random_stream(0))
    monkeypatch.setattr(trials, "WINDOW_WORDS", 5)  # five draws rarely fit: the slow path runs
    narrow = replay_trials(found.per_doc(), found.row, profiles.probs, random_stream(0))
    assert np.array_equal(narrow, expected)
