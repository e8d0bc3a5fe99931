"""The n-gram extraction and trial replay kernels give exactly langdetect's results."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram
from language_fixtures import all_fixture_texts

from pipeline.dedup.text_units import utf8_view
from pipeline.quality.language.ngrams import extract_ngrams, profile_rows
from pipeline.quality.language.prepare import (
    MAIL_REWRITE,
    URL_REWRITE,
    VIETNAMESE_MARKS,
    VIETNAMESE_REWRITE,
    _decode_utf8,
    _replace_mail_addresses,
    prepare_texts,
)
from pipeline.quality.language.profiles import load_profiles, ngram_key
from pipeline.quality.language.trials import (
    RandomStream,
    _normalise,
    random_stream,
    replay_trials,
)


@pytest.fixture(scope="module")
def factory() -> DetectorFactory:
    """langdetect as `detect_langs` loads it: languages in `os.listdir` order."""
    loaded = DetectorFactory()
    loaded.load_profile(PROFILES_DIRECTORY)
    return loaded


@pytest.fixture(scope="module")
def alphabetical_factory() -> DetectorFactory:
    """langdetect with its languages in alphabetical order, the order of the replay's sums."""
    paths = sorted(Path(PROFILES_DIRECTORY).iterdir(), key=lambda path: path.name)
    loaded = DetectorFactory()
    loaded.load_json_profile([path.read_text(encoding="utf-8") for path in paths])
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
    prepared = prepare_texts(pa.array(texts, pa.string()))
    assert [prepared.text(index) for index in range(len(texts))] == [
        langdetect_append(text) for text in texts
    ]
    sliced = prepare_texts(pa.array(["ignored", *texts], pa.large_string())[1:])
    assert [sliced.text(index) for index in range(len(texts))] == [
        langdetect_append(text) for text in texts
    ]


# Each needs a different set of `append`'s rewrites; neighbours share bytes across text borders.
REWRITE_CASES = [
    "mail me at someone@example.org",
    "ends with htt",
    "p://example.org starts a text after one ending with htt",
    "a link https://example.org/x?a=1 then more words",
    "no link: htt\u00e9p, HTTP://EXAMPLE.ORG, http",
    unicodedata.normalize("NFD", "Việt Nam") + " and http://x.org and a@b",
    "@",
    "",
    "plain words only",
]


def test_rewrites_are_found_for_exactly_the_texts_that_contain_their_trigger() -> None:
    data, offsets = utf8_view(pa.array(REWRITE_CASES, pa.string()))
    _, _, rewrites = _decode_utf8(data, offsets)
    marks = {chr(mark) for mark in VIETNAMESE_MARKS}
    expected = [
        (URL_REWRITE if "http" in text else 0)
        | (MAIL_REWRITE if "@" in text else 0)
        | (VIETNAMESE_REWRITE if marks & set(text) else 0)
        for text in REWRITE_CASES
    ]
    assert rewrites.tolist() == expected
    assert set(expected) >= {0, URL_REWRITE, MAIL_REWRITE, 7}


def test_mail_addresses_are_replaced_exactly_as_by_langdetects_pattern() -> None:
    generator = random.Random(5)
    cases = [
        "",
        "@",
        "a@@b.c x@y",
        "@start and end@",
        "x" * 80 + "@example.org and " + "y" * 300 + "@z.org" + ".w" * 200,
        "é@x.org, Ａ@b.c, a.b-c_d@e-f.g.h!i@j",
    ]
    for _ in range(3000):
        size = generator.randint(0, 60)
        cases.append("".join(generator.choice("aZ09-_.@@ é\n+") for _ in range(size)))
    for text in cases:
        assert _replace_mail_addresses(text) == Detector.MAIL_RE.sub(" ", text), text


def test_rewritten_texts_stay_in_their_place_in_the_batch() -> None:
    texts = [*REWRITE_CASES, *all_fixture_texts(), *REWRITE_CASES]
    prepared = prepare_texts(pa.array(texts, pa.string()))
    assert [prepared.text(index) for index in range(len(texts))] == [
        langdetect_append(text) for text in texts
    ]


@pytest.mark.slow
def test_ngram_sequence_matches_langdetect(factory: DetectorFactory) -> None:
    texts = all_fixture_texts()
    profiles = load_profiles()
    found = extract_ngrams(prepare_texts(pa.array(texts, pa.string())), profiles)
    keys = profiles.keys.tolist()
    for index, text in enumerate(texts):
        detector = factory.create()
        detector.append(text)
        detector.cleaning_text()
        expected = detector._extract_ngrams()
        got = [profile_ngram(keys[row]) for row in found.of(index).tolist()]
        assert got == expected, text


def test_hash_lookup_finds_every_profile_ngram_and_nothing_else() -> None:
    profiles = load_profiles()
    assert profile_rows(profiles.keys, profiles).tolist() == list(range(profiles.keys.size))
    missing = np.array([ngram_key("\uffff"), ngram_key("q\uffff"), ngram_key("zzq")], np.uint64)
    assert profile_rows(missing, profiles).tolist() == [-1, -1, -1]
    assert profiles.languages == tuple(sorted(profiles.languages))
    assert len(profiles.languages) == 55


@pytest.mark.parametrize("seed", [0, 7])
def test_random_stream_is_pythons(seed: int) -> None:
    stream = RandomStream.build(seed, 64)
    generator = random.Random(seed)
    assert stream.words.tolist() == [generator.getrandbits(32) for _ in range(64)]
    for position in (0, 1, 17, 60):
        generator = random.Random(seed)
        for _ in range(position):
            generator.getrandbits(32)
        assert stream.gauss_pair(position) == (generator.gauss(), generator.gauss())
    stream.grow()
    generator = random.Random(seed)
    assert stream.words.tolist() == [generator.getrandbits(32) for _ in range(128)]


def replay_and_langdetect(
    factory: DetectorFactory, seed: int
) -> Iterator[tuple[str, np.ndarray, np.ndarray | None]]:
    """(text, replayed langprob, langdetect's langprob or None without features), in the
    factory's language order."""
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
            yield text, replayed[index, order], None
            continue
        yield text, replayed[index, order], np.asarray(detector.langprob)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 7])
def test_trials_replay_langdetect_bit_for_bit(
    alphabetical_factory: DetectorFactory, seed: int
) -> None:
    for text, replayed, expected in replay_and_langdetect(alphabetical_factory, seed):
        if expected is None:
            assert replayed.tolist() == [0.0] * 55, text
        else:
            assert replayed.tolist() == expected.tolist(), text


@pytest.mark.slow
def test_trials_replay_detect_langs(factory: DetectorFactory) -> None:
    # langdetect normalises with sum() over its languages in directory order, so the last bit
    # of a probability may differ from the replay's alphabetical sums.
    for text, replayed, expected in replay_and_langdetect(factory, 0):
        if expected is None:
            assert replayed.tolist() == [0.0] * 55, text
        else:
            np.testing.assert_allclose(replayed, expected, rtol=0, atol=1e-15, err_msg=text)


def test_a_short_stream_grows_until_every_document_is_replayed() -> None:
    texts = all_fixture_texts()
    profiles = load_profiles()
    found = extract_ngrams(prepare_texts(pa.array(texts, pa.string())), profiles)
    expected = replay_trials(found.per_doc(), found.row, profiles.probs, random_stream(0))
    short = RandomStream.build(0, 16)  # too short for any document: grown until all fit
    replayed = replay_trials(found.per_doc(), found.row, profiles.probs, short)
    assert short.words.size > 16
    assert np.array_equal(replayed, expected)


def test_normalise_returns_the_largest_quotient() -> None:
    generator = np.random.default_rng(3)
    cases = [
        generator.random(55),
        generator.random(55) ** 40,  # many tiny values
        np.array([1e-310, 5e-324, 0.0, 3e-300, 1e-320]),  # subnormals and a zero
        np.array([0.1, 0.7, 0.7, 0.2]),  # a tie
        np.array([1.0]),
    ]
    for values in cases:
        prob = values.copy()
        total = 0.0
        for value in values.tolist():  # in order, as `sum` in langdetect's Python 3.11
            total += value
        expected = values / total
        assert _normalise(prob) == max(expected.tolist())
        assert prob.tolist() == expected.tolist()
