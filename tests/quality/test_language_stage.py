"""The language stage: answers, `und`, determinism, sampling, escalation and the filter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from pydantic import ValidationError
from quality_fixtures import LANGUAGE_SAMPLES, NO_LETTERS, good_article, records

from pipeline.quality.config import LanguageConfig, QualityConfig
from pipeline.quality.language.identify import LanguageIdentifier
from pipeline.quality.language.stage import LanguageStage
from pipeline.quality.language.windows import sample_windows
from pipeline.stage import BatchStage

ROOT = Path(__file__).resolve().parents[2]


def identify(texts: list[str | None], **config) -> list[tuple[str, float]]:
    stage = LanguageConfig(**config).build()
    stage.setup()
    table = stage.process(records(texts)).table
    return list(zip(table["lang"].to_pylist(), table["lang_score"].to_pylist(), strict=True))


def test_stage_contract_and_column_types() -> None:
    stage = LanguageConfig().build()
    assert isinstance(stage, LanguageStage)
    assert isinstance(stage, BatchStage)
    stage.setup()
    result = stage.process(records([LANGUAGE_SAMPLES["en"]]))
    assert result.table.schema.field("lang").type == pa.string()
    assert result.table.schema.field("lang_score").type == pa.float32()
    assert result.table["drop_reason"].to_pylist() == [None]


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_languages(lang: str) -> None:
    [(code, score)] = identify([LANGUAGE_SAMPLES[lang]])
    assert code == lang
    assert score > 0.99


def test_no_letters_is_und_with_score_zero() -> None:
    assert identify([*NO_LETTERS, None]) == [("und", 0.0)] * (len(NO_LETTERS) + 1)


def test_deterministic_across_calls_and_batch_composition() -> None:
    texts = [*LANGUAGE_SAMPLES.values(), good_article(), *NO_LETTERS]
    together = identify(texts)
    assert identify(texts) == together
    assert [identify([text])[0] for text in texts] == together
    assert identify(texts[::-1]) == together[::-1]


@pytest.mark.slow
def test_deterministic_in_a_fresh_process() -> None:
    texts = [*LANGUAGE_SAMPLES.values(), good_article()]
    script = (
        "import json, sys\n"
        "import pyarrow as pa\n"
        "from pipeline.quality.config import LanguageConfig\n"
        "stage = LanguageConfig().build(); stage.setup()\n"
        "texts = json.loads(sys.stdin.read())\n"
        "table = stage.process(pa.table({'id': [str(i) for i in range(len(texts))],"
        " 'text': texts})).table\n"
        "print(json.dumps([table['lang'].to_pylist(), table['lang_score'].to_pylist()]))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        for _ in range(2)
    ]
    langs, scores = json.loads(runs[0])
    assert runs[0] == runs[1]
    assert list(zip(langs, scores, strict=True)) == identify(texts)


def test_sample_windows() -> None:
    assert sample_windows("short text", window_chars=600, windows=3) == "short text"
    words = " ".join(f"w{index:04d}" for index in range(1000))  # 5,999 characters
    sample = sample_windows(words, window_chars=600, windows=3)
    parts = sample.split("\n")
    assert len(parts) == 3
    assert parts[0].startswith("w0000 ")
    assert parts[-1].endswith(" w0999")
    assert all(len(part) <= 600 for part in parts)
    assert all(token in words.split() for part in parts for token in part.split(" "))
    assert sample_windows(words, window_chars=600, windows=1).split(" ")[0] == "w0000"


def test_unclear_samples_are_classified_again_on_the_whole_text() -> None:
    # first, middle and last windows in three different languages: the sample is not clear-cut
    mixed = "\n".join(LANGUAGE_SAMPLES[lang] * 3 for lang in ("de", "fr", "es"))
    stage = LanguageConfig().build()
    stage.setup()
    result = stage.process(records([mixed, LANGUAGE_SAMPLES["en"]]))
    assert result.stats.counters["language.escalated"] == 1
    whole = LanguageIdentifier(window_chars=None).identify(pa.array([mixed]))
    assert result.table["lang"].to_pylist()[0] == whole.codes().to_pylist()[0]
    assert result.table["lang_score"].to_pylist()[0] == pytest.approx(whole.score[0], abs=1e-7)
    sampled = LanguageIdentifier(escalate_below=None).identify(pa.array([mixed]))
    assert sampled.score[0] < 0.99 < 1.0  # what the windows alone would have said
    assert sampled.score[0] != pytest.approx(whole.score[0])


def test_filter_reasons_and_stats() -> None:
    texts = [LANGUAGE_SAMPLES["en"], LANGUAGE_SAMPLES["de"], "12345", LANGUAGE_SAMPLES["fr"]]
    stage = LanguageConfig(languages=["en", "fr"], min_score=0.5).build()
    stage.setup()
    result = stage.process(records(texts))
    assert result.table["drop_reason"].to_pylist() == [
        None,
        "language_not_allowed",
        "language_not_allowed",  # `und` is not in the list, and the language check comes first
        None,
    ]
    counters = result.stats.counters
    assert counters["language.dropped.language_not_allowed"] == 2
    assert counters["language.lang.en"] == 1
    assert counters["language.lang.und"] == 1
    assert result.stats.histograms["language.lang_score"].count == 4


def test_min_score_alone_drops_und() -> None:
    stage = LanguageConfig(min_score=0.5).build()
    stage.setup()
    result = stage.process(records([LANGUAGE_SAMPLES["es"], "..."]))
    assert result.table["drop_reason"].to_pylist() == [None, "language_low_score"]


def test_unknown_language_code_is_a_config_error_with_a_hint() -> None:
    with pytest.raises(ValidationError, match="did you mean 'zh-cn'"):
        LanguageConfig(languages=["zh_cn"])
    assert LanguageConfig(languages=["und", "en"]).languages == ["und", "en"]


def test_quality_stop_word_rule_follows_the_language_stage() -> None:
    german = LANGUAGE_SAMPLES["de"] + "\n" + LANGUAGE_SAMPLES["de"].replace("Der", "Ein")
    language = LanguageConfig().build()
    language.setup()
    tagged = language.process(records([german])).table
    quality = QualityConfig(preset="none", gopher_min_stop_words=2).build()
    assert quality.process(tagged).table["drop_reason"].to_pylist() == [None]
    untagged = quality.process(records([german])).table
    assert untagged["drop_reason"].to_pylist() == ["gopher_stop_words"]


def test_decoding_bytes_that_are_not_utf8_never_reads_into_the_next_text() -> None:
    from pipeline.quality.language.prepare import _decode_utf8

    # Text 0 ends in the first byte of a two-byte sequence; text 1 starts with a stray
    # continuation byte and holds a valid "é" and a sequence cut by its end.
    texts = [b"ab\xc3", b"\xa9z\xc3\xa9\xe2\x82"]
    data = np.frombuffer(b"".join(texts), dtype=np.uint8)
    offsets = np.array([0, 3, 3 + len(texts[1])], dtype=np.int64)
    codes, bounds, _ = _decode_utf8(data, offsets)
    assert bounds.tolist() == [0, 3, 8]
    assert codes.tolist() == [0x61, 0x62, 0xFFFD, 0xFFFD, 0x7A, 0xE9, 0xFFFD, 0xFFFD]
