"""Score crawlsieve's line cleaning against labelled pages, next to jusText and C4's line rules.

Reads `../shared/data` (relative to the project root):

* `wcxb-dev/` and `cleaneval-dev/`: `docs.jsonl.gz` (full-page text) and `labels.jsonl.gz`
  (`clean`: the reference main text; `line_labels`: 1 content / 0 boilerplate / null unknown per
  line of `text.split("\\n")`);
* `seeds/`: the two scraped news pages whose expected outcome is in `data/README.md`.

For every page each method decides, line by line, keep or remove; `boilerplate_scores.py` says
what is scored (line-level boilerplate precision / recall / F1, content retention, WCXB's token
F1 and snippet checks). `--bootstrap N` adds 95% intervals from N resamples of the pages.

Methods: `crawlsieve` (normalize -> block_rules -> line_rules -> repeated_blocks with default
configs, each line normalised as the `normalize` stage would), `jusText` (`pip install justext
lxml_html_clean`; each non-blank line as one `<p>` paragraph, English stop list, default
parameters), `C4 lines` (the line rules of C4, Raffel et al. 2020 section 2.2, as published:
keep a line only when it ends in terminal punctuation `.` `!` `?` `"`, does not end in an ellipsis,
has at least 3 words, and contains neither "javascript" nor a policy phrase; the page-level rules
of C4 -- fewer than 5 sentences, "lorem ipsum", curly brackets, bad words -- drop whole pages and
are not applied) and `keep all`.

Usage:
    python scripts/evaluate_boilerplate.py [--sets wcxb-dev cleaneval-dev] [--by-type]
        [--limit N] [--no-baselines] [--seeds-only] [--bootstrap N]
        [--disable-rules page_header ...] [--furniture-model PATH] [--furniture-threshold P]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.clean.config import (  # noqa: E402
    BlockRulesConfig,
    LineRulesConfig,
    NormalizeConfig,
    RepeatedBlocksConfig,
)
from pipeline.clean.line_rules import LineRulesStage  # noqa: E402
from pipeline.clean.line_table import LineTable, subset  # noqa: E402
from pipeline.clean.normalize import normalize_text  # noqa: E402
from pipeline.schema import ID, TEXT, URL  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from boilerplate_scores import (  # noqa: E402
    LINE_COLUMNS,
    TEXT_COLUMNS,
    PageScores,
    intervals,
    page_scores,
    summarize,
)

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
C4_END = (".", "!", "?", '"')
C4_POLICY = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)

KeepMasks = Callable[[list[str]], list[np.ndarray]]


@dataclass
class Page:
    """One labelled page."""

    id: str
    url: str | None
    text: str
    clean: str
    labels: np.ndarray  # int8 per line: 1, 0, or -1 for unknown
    page_type: str
    with_snippets: tuple[str, ...] = ()  # text the kept page must contain
    without_snippets: tuple[str, ...] = ()  # text it must not


def load_pages(name: str, limit: int | None) -> list[Page]:
    """The pages of one labelled data set, in file order."""
    folder = DATA / name
    labels = {}
    with gzip.open(folder / "labels.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            labels[row["id"]] = row
    pages = []
    with gzip.open(folder / "docs.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            label = labels[doc["id"]]
            values = [-1 if v is None else int(v) for v in label["line_labels"]]
            pages.append(
                Page(
                    id=doc["id"],
                    url=doc.get("url"),
                    text=doc["text"],
                    clean=label["clean"],
                    labels=np.asarray(values, dtype=np.int8),
                    page_type=label.get("page_type") or "page",
                    with_snippets=tuple(label.get("with") or ()),
                    without_snippets=tuple(label.get("without") or ()),
                )
            )
            if limit is not None and len(pages) >= limit:
                break
    return pages


def crawlsieve_masks(
    texts: list[str],
    line_rules: LineRulesConfig | None = None,
    urls: list[str | None] | None = None,
) -> list[np.ndarray]:
    """Keep masks from the default stages (or `line_rules` in place of the default one): one per
    page, one bool per line of the page (`urls`: the pages' URLs, as a crawl gives them)."""
    normalize = NormalizeConfig()
    stages = [
        BlockRulesConfig().build(),
        (line_rules or LineRulesConfig()).build(),
        RepeatedBlocksConfig().build(),
    ]
    lines = LineTable.from_text(pa.array(texts, pa.string()))
    normalized = normalize_text(lines.lines, normalize)
    lines = LineTable(normalized, lines.offsets)
    alive = np.ones(lines.num_lines, dtype=bool)
    url_array = None if urls is None else pa.array(urls, pa.string())
    for stage in stages:
        stage.setup()
        remaining, index = subset(lines, alive)
        if isinstance(stage, LineRulesStage):
            codes = stage.find_removals(remaining, url_array)
        else:
            codes = stage.find_removals(remaining)
        alive[index[codes > 0]] = False
    return [alive[lines.offsets[i] : lines.offsets[i + 1]] for i in range(len(texts))]


def c4_masks(texts: list[str]) -> list[np.ndarray]:
    """C4's published line rules (see the module docstring)."""
    out = []
    for text in texts:
        keep = []
        for line in text.split("\n"):
            stripped = line.strip()
            lower = stripped.lower()
            keep.append(
                stripped.endswith(C4_END)
                and not stripped.endswith("...")
                and len(stripped.split()) >= 3
                and "javascript" not in lower
                and not any(phrase in lower for phrase in C4_POLICY)
            )
        out.append(np.asarray(keep, dtype=bool))
    return out


def justext_masks(texts: list[str]) -> list[np.ndarray]:
    """jusText with each non-blank line as one paragraph and the English stop list."""
    import justext

    stoplist = justext.get_stoplist("English")
    out = []
    for text in texts:
        lines = text.split("\n")
        index = [i for i, line in enumerate(lines) if line.strip()]
        keep = np.zeros(len(lines), dtype=bool)
        if index:
            body = "".join(f"<p>{html.escape(lines[i])}</p>" for i in index)
            paragraphs = justext.justext(f"<html><body>{body}</body></html>", stoplist)
            if len(paragraphs) != len(index):
                raise RuntimeError("jusText merged or split paragraphs; cannot align lines")
            for i, paragraph in zip(index, paragraphs, strict=True):
                keep[i] = not paragraph.is_boilerplate
        out.append(keep)
    return out


def keep_all_masks(texts: list[str]) -> list[np.ndarray]:
    return [np.ones(text.count("\n") + 1, dtype=bool) for text in texts]


def print_table(title: str, rows: list[tuple[str, dict[str, float], float]]) -> None:
    """Two tables: line-level scores (and seconds), then token and snippet scores."""
    print(f"\n{title}")
    for columns, seconds in ((LINE_COLUMNS, True), (TEXT_COLUMNS, False)):
        header = f"{'method':<22}" + "".join(f"{c:>13}" for c in columns)
        header += f"{'seconds':>10}" if seconds else ""
        print(header)
        print("-" * len(header))
        for name, result, elapsed in rows:
            cells = "".join(_cell(result[c]) for c in columns)
            print(f"{name:<22}{cells}" + (f"{elapsed:>10.1f}" if seconds else ""))
        print()


def _cell(value: float) -> str:
    if isinstance(value, int):
        return f"{value:>13d}"
    return f"{'-':>13}" if np.isnan(value) else f"{value:>13.3f}"


def evaluate_set(name: str, args: argparse.Namespace) -> None:
    pages = load_pages(name, args.limit)
    texts = [page.text for page in pages]
    methods: list[tuple[str, KeepMasks]] = [
        (
            "crawlsieve",
            partial(
                crawlsieve_masks,
                line_rules=line_rules_config(args),
                urls=[page.url for page in pages],
            ),
        )
    ]
    if not args.no_baselines:
        methods += [
            ("jusText", justext_masks),
            ("C4 lines", c4_masks),
            ("keep all", keep_all_masks),
        ]
    results: list[tuple[str, list[np.ndarray], float]] = []
    for method, function in methods:
        started = time.perf_counter()
        try:
            masks = function(texts)
        except ImportError as exc:
            print(f"[{method} skipped: {exc}; pip install justext lxml_html_clean]")
            continue
        results.append((method, masks, time.perf_counter() - started))
    per_page = [(method, page_scores(pages, masks), seconds) for method, masks, seconds in results]
    rows = [(method, summarize(scores), seconds) for method, scores, seconds in per_page]
    print_table(f"{name}: {len(pages)} pages", rows)
    if args.bootstrap:
        print_intervals(per_page, args.bootstrap)
    if args.by_type:
        for page_type in sorted({page.page_type for page in pages}):
            chosen = np.array([i for i, page in enumerate(pages) if page.page_type == page_type])
            rows = [(method, summarize(scores, chosen), 0.0) for method, scores, _ in per_page]
            print_table(f"{name}, page type {page_type}", rows)


def print_intervals(per_page: list[tuple[str, PageScores, float]], rounds: int) -> None:
    """95% bootstrap intervals (resampled pages) of the headline scores of every method."""
    columns = ("bp_f1", "ret", "tok_f1", "tok_f1_all")
    print(f"95% intervals, {rounds} resamples of the pages")
    print(f"{'method':<22}" + "".join(f"{c:>17}" for c in columns))
    for method, scores, _ in per_page:
        found = intervals(scores, rounds)
        cells = "".join(f"{f'{found[c][0]:.3f}-{found[c][1]:.3f}':>17}" for c in columns)
        print(f"{method:<22}{cells}")


def line_rules_config(args: argparse.Namespace) -> LineRulesConfig:
    """`line_rules` as the command line changes it (the defaults when it does not)."""
    config = LineRulesConfig()
    furniture = config.page_furniture.model_copy(
        update={
            key: value
            for key, value in (
                ("model_path", args.furniture_model),
                ("threshold", args.furniture_threshold),
            )
            if value is not None
        }
    )
    disabled = [*config.disabled_rules, *args.disable_rules]
    return config.model_copy(update={"disabled_rules": disabled, "page_furniture": furniture})


def run_seeds(line_rules: LineRulesConfig) -> None:
    """Run the real stages (process(), with `line_rules`) on the seed pages and show what each
    removed."""
    import pyarrow as pa

    folder = DATA / "seeds"
    files = sorted(folder.glob("*.txt"))
    if not files:
        print(f"\nseeds: no pages in {folder}")
        return
    texts = [path.read_text(encoding="utf-8") for path in files]
    table = pa.table(
        {
            ID: [path.stem for path in files],
            TEXT: texts,
            URL: pa.nulls(len(files), pa.string()),
        }
    )
    stages = [
        NormalizeConfig().build(),
        BlockRulesConfig().build(),
        line_rules.build(),
        RepeatedBlocksConfig().build(),
    ]
    for stage in stages:
        stage.setup()
        table = stage.process(table).table
    print("\nseeds: normalize -> block_rules -> line_rules -> repeated_blocks")
    for row in table.to_pylist():
        before = next(t for p, t in zip(files, texts, strict=True) if p.stem == row[ID])
        lines_before = [line for line in before.split("\n") if line.strip()]
        lines_after = [line for line in row[TEXT].split("\n") if line.strip()]
        print(f"\n{row[ID]}: {len(lines_before)} lines -> {len(lines_after)} lines")
        for item in row.get("removed_lines") or []:
            text = item["text"]
            print(f"  - [{item['rule']}] {text[:90]}{'...' if len(text) > 90 else ''}")
        quoted = [line for line in lines_before if line.rstrip().endswith(("”", "’"))]
        kept_quotes = sum(1 for line in quoted if line in lines_after)
        print(f"  quoted lines ending in a typographic quote kept: {kept_quotes} of {len(quoted)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=["wcxb-dev", "cleaneval-dev"])
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--by-type", action="store_true", help="also score each page type")
    parser.add_argument("--no-baselines", action="store_true", help="score crawlsieve only")
    parser.add_argument("--seeds-only", action="store_true", help="only run the seed pages")
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="print 95%% intervals of the scores from N resamples of the pages (e.g. 1000)",
    )
    parser.add_argument(
        "--disable-rules", nargs="*", default=[], help="line_rules rules to switch off as well"
    )
    parser.add_argument("--furniture-model", help="a page_furniture model JSON to use instead")
    parser.add_argument("--furniture-threshold", type=float, help="page_furniture's threshold")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(
            f"evaluation data not found: {DATA} (expected ../shared/data next to the project)",
            file=sys.stderr,
        )
        return 2
    run_seeds(line_rules_config(args))
    if args.seeds_only:
        return 0
    for name in args.sets:
        if not (DATA / name / "labels.jsonl.gz").is_file():
            print(f"\n{name}: not found under {DATA}, skipped", file=sys.stderr)
            continue
        evaluate_set(name, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
