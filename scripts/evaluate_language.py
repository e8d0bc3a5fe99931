"""Evaluate the language stage against full-text langdetect: accuracy, agreement, speed.

    python scripts/evaluate_language.py [--news-docs 1000] [--repeats 2] [--batch-size 1000]

Data (read from `../shared/data` relative to the project root, never copied into the repository):

* `udhr/`: the Universal Declaration of Human Rights in 388 languages and scripts. Labels are
  ISO 639-3 codes, mapped to langdetect's ISO 639-1 codes; accuracy and agreement are scored on
  the documents whose language langdetect supports (zh-cn and zh-tw both count as Chinese).
* news-sized documents (about 3 KB): consecutive Reuters-21578 stories joined until 3,000
  characters, and the main text (`clean`) of WCXB dev pages cut after the line that passes 3,000
  characters.

Methods: `langdetect` is `detect_langs` on the whole text with `DetectorFactory.seed = 0` (the
reference); `crawlsieve` is the language stage's identifier as configured by default (windows and
escalation) and with `window_chars=None` (whole text, which must agree 100%). Speed is documents
per CPU-second of this process (one core), best of `--repeats` runs, profiles already loaded.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.quality.language.identify import LanguageIdentifier  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
NEWS_CHARS = 3000
# ISO 639-3 (as in the UDHR file names) -> langdetect code, for langdetect's 55 languages.
ISO_639_3_TO_LANGDETECT = {
    "afr": "af", "arb": "ar", "bul": "bg", "ben": "bn", "cat": "ca", "ces": "cs", "cym": "cy",
    "dan": "da", "deu": "de", "ell": "el", "eng": "en", "spa": "es", "est": "et", "ekk": "et",
    "pes": "fa", "fas": "fa", "fin": "fi", "fra": "fr", "guj": "gu", "heb": "he", "hin": "hi",
    "hrv": "hr", "hun": "hu", "ind": "id", "ita": "it", "jpn": "ja", "kan": "kn", "kor": "ko",
    "lit": "lt", "lav": "lv", "lvs": "lv", "mkd": "mk", "mal": "ml", "mar": "mr", "nep": "ne",
    "npi": "ne", "nld": "nl", "nob": "no", "nor": "no", "pan": "pa", "pol": "pl", "por": "pt",
    "ron": "ro", "rus": "ru", "slk": "sk", "slv": "sl", "som": "so", "als": "sq", "sqi": "sq",
    "swe": "sv", "swh": "sw", "swa": "sw", "tam": "ta", "tel": "te", "tha": "th", "tgl": "tl",
    "tur": "tr", "ukr": "uk", "urd": "ur", "vie": "vi", "cmn": "zh", "zho": "zh",
}  # fmt: skip


@dataclass
class Dataset:
    name: str
    texts: list[str]
    labels: list[str | None]  # langdetect code (zh for Chinese), None when not supported

    @property
    def supported(self) -> list[int]:
        return [index for index, label in enumerate(self.labels) if label is not None]


@dataclass
class Run:
    langs: list[str]
    docs_per_second: float
    escalated: int = 0


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def require_data(*folders: str) -> None:
    missing = [folder for folder in folders if not (DATA / folder).is_dir()]
    if missing:
        sys.exit(
            f"evaluation data not found: {', '.join(str(DATA / m) for m in missing)}\n"
            "This script reads ../shared/data relative to the project root (see "
            "/work/shared/data/README.md); it is not part of the repository."
        )


def udhr_dataset() -> Dataset:
    labels = {row["id"]: row["lang_code"] for row in read_jsonl(DATA / "udhr" / "labels.jsonl.gz")}
    rows = list(read_jsonl(DATA / "udhr" / "docs.jsonl.gz"))
    return Dataset(
        name="udhr",
        texts=[row["text"] or "" for row in rows],
        labels=[ISO_639_3_TO_LANGDETECT.get(labels[row["id"]]) for row in rows],
    )


def news_documents(count: int) -> list[str]:
    """About `count` documents of 3 KB: half Reuters stories joined, half WCXB main texts."""
    docs: list[str] = []
    stories: list[str] = []
    for row in read_jsonl(DATA / "reuters21578" / "docs.jsonl.gz"):
        stories.append(row["text"] or "")
        if sum(len(story) for story in stories) >= NEWS_CHARS:
            docs.append("\n\n".join(stories))
            stories = []
        if len(docs) >= count // 2:
            break
    for row in read_jsonl(DATA / "wcxb-dev" / "labels.jsonl.gz"):
        clean = row.get("clean") or ""
        if len(clean) < NEWS_CHARS:
            continue
        lines, size = [], 0
        for line in clean.split("\n"):
            lines.append(line)
            size += len(line) + 1
            if size >= NEWS_CHARS:
                break
        docs.append("\n".join(lines))
        if len(docs) >= count:
            break
    return docs


def news_dataset(count: int) -> Dataset:
    texts = news_documents(count)
    return Dataset(name="news 3 KB", texts=texts, labels=[None] * len(texts))


def best_of(repeats: int, work: Callable[[], Any]) -> tuple[Any, float]:
    """The result of the first run and the smallest CPU time over `repeats` runs."""
    result, best = None, float("inf")
    for attempt in range(repeats):
        start = time.process_time()
        value = work()
        best = min(best, time.process_time() - start)
        result = value if attempt == 0 else result
    return result, best


def run_langdetect(texts: list[str], repeats: int) -> Run:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    detect_langs("warm up the profiles")

    def work() -> list[str]:
        langs = []
        for text in texts:
            try:
                langs.append(detect_langs(text)[0].lang)
            except LangDetectException:
                langs.append("und")
        return langs

    langs, seconds = best_of(repeats, work)
    return Run(langs=langs, docs_per_second=len(texts) / seconds)


def run_crawlsieve(texts: list[str], repeats: int, batch_size: int, **options: Any) -> Run:
    identifier = LanguageIdentifier(seed=0, **options)
    identifier.setup()
    batches = [
        pa.array(texts[start : start + batch_size], pa.string())
        for start in range(0, len(texts), batch_size)
    ]

    def work() -> tuple[list[str], int]:
        langs: list[str] = []
        escalated = 0
        for batch in batches:
            result = identifier.identify(batch)
            langs.extend(result.codes().to_pylist())
            escalated += int(result.escalated.sum())
        return langs, escalated

    (langs, escalated), seconds = best_of(repeats, work)
    return Run(langs=langs, docs_per_second=len(texts) / seconds, escalated=escalated)


def chinese(code: str) -> str:
    return "zh" if code.startswith("zh-") else code


def share(matches: int, total: int) -> str:
    return f"{matches / total:.2%} ({matches}/{total})" if total else "n/a"


def table_rows(dataset: Dataset, reference: Run, runs: dict[str, Run]) -> list[list[str]]:
    supported = dataset.supported
    rows = []
    for method, run in {"langdetect, whole text": reference, **runs}.items():
        if supported:
            correct = sum(chinese(run.langs[i]) == dataset.labels[i] for i in supported)
            accuracy = share(correct, len(supported))
            agree = sum(run.langs[i] == reference.langs[i] for i in supported)
            agreement = share(agree, len(supported))
        else:
            accuracy = "n/a"
            agreement = share(
                sum(a == b for a, b in zip(run.langs, reference.langs, strict=True)),
                len(run.langs),
            )
        all_agree = sum(a == b for a, b in zip(run.langs, reference.langs, strict=True))
        rows.append(
            [
                dataset.name,
                method,
                str(len(dataset.texts)),
                accuracy,
                agreement,
                share(all_agree, len(run.langs)),
                f"{run.docs_per_second:,.0f}",
                f"{run.docs_per_second / reference.docs_per_second:.1f}x",
                str(run.escalated),
            ]
        )
    return rows


def print_table(rows: list[list[str]]) -> None:
    header = [
        "data",
        "method",
        "docs",
        "accuracy (supported)",
        "agreement (supported)",
        "agreement (all)",
        "docs/s/core",
        "speed-up",
        "escalated",
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--news-docs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--window-chars", type=int, default=None, help="default: the stage's")
    parser.add_argument("--windows", type=int, default=None, help="default: the stage's")
    args = parser.parse_args(argv)
    windows = {
        key: value
        for key, value in (("window_chars", args.window_chars), ("windows", args.windows))
        if value is not None
    }
    label = "{windows}x{window_chars} windows".format(
        **{"windows": 3, "window_chars": 600, **windows}
    )
    require_data("udhr", "reuters21578", "wcxb-dev")

    rows: list[list[str]] = []
    for dataset in (udhr_dataset(), news_dataset(args.news_docs)):
        reference = run_langdetect(dataset.texts, args.repeats)
        runs = {
            "crawlsieve, whole text": run_crawlsieve(
                dataset.texts, args.repeats, args.batch_size, window_chars=None
            ),
            f"crawlsieve, {label}, no escalation": run_crawlsieve(
                dataset.texts, args.repeats, args.batch_size, escalate_below=None, **windows
            ),
            f"crawlsieve, {label}, escalate < 0.99": run_crawlsieve(
                dataset.texts, args.repeats, args.batch_size, **windows
            ),
        }
        rows.extend(table_rows(dataset, reference, runs))
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
