"""The `crawlsieve` command line: run, validate, stats, inspect, explain, report.

Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error (before any work).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.config import ConfigError, PipelineConfig, dump_config, load_config

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("crawlsieve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crawlsieve",
        description="Quality filter for scraped web and news text.",
    )
    parser.add_argument("--version", action="version", version=f"crawlsieve {__version__}")
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the pipeline on a crawl")
    _config_arguments(run)
    run.add_argument("--output", "-o", help="output directory (or output.path in the config)")
    run.add_argument("--overwrite", action="store_true", help="replace a non-empty output dir")
    run.add_argument("--resume", action="store_true", help="finish an interrupted run")
    run.add_argument("--workers", type=int, default=None, help="worker processes (default: cores)")
    run.add_argument(
        "--max-errors",
        type=error_budget,
        default=None,
        metavar="N|F",
        help="unreadable records tolerated: a count N >= 1, or a fraction F < 1 of the records "
        "read (overrides run.max_errors; default 0.01)",
    )
    run.add_argument(
        "--executor",
        choices=["local", "ray"],
        default="local",
        help="local worker processes (default), or a Ray cluster (pip install 'crawlsieve[ray]')",
    )
    run.add_argument(
        "--ray-address",
        default=None,
        metavar="ADDRESS",
        help="Ray cluster to join (auto, ray://HOST:10001); default: start a local Ray instance",
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--dry-run", action="store_true", help="validate and print the plan only")

    validate = sub.add_parser("validate", help="print the resolved config and the plan, then exit")
    _config_arguments(validate)

    stats = sub.add_parser("stats", help="print the filter funnel of a finished run")
    stats.add_argument("output", help="the run's output directory")
    stats.add_argument("--json", action="store_true", help="print stats.json instead of a table")

    inspect = sub.add_parser("inspect", help="examples of a drop reason or a line rule")
    inspect.add_argument("output", help="the run's output directory")
    inspect.add_argument("--reason", "-r", required=True, help="drop reason or line rule")
    inspect.add_argument("-n", type=int, default=10, help="number of examples (default 10)")
    inspect.add_argument(
        "--context", type=int, default=1, help="input lines shown around a removed line"
    )

    explain = sub.add_parser("explain", help="the whole story of one input record")
    explain.add_argument("output", help="the run's output directory")
    explain.add_argument("--id", required=True, dest="record_id", help="the record's id")

    report = sub.add_parser("report", help="(re)write OUT/report.html")
    report.add_argument("output", help="the run's output directory")
    return parser


def _config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", nargs="?", help="YAML config (default: built-in defaults)")
    parser.add_argument(
        "--input", "-i", action="append", default=None, help="input file, directory or glob"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config value, e.g. --set stages.dedup.threshold=0.7",
    )


def error_budget(value: str) -> float:
    """`--max-errors`: a non-negative number (a count if >= 1, else a fraction of records read)."""
    try:
        budget = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a count such as 100 or a fraction such as 0.05, got {value!r}"
        ) from None
    if not budget >= 0 or budget == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {value!r}")
    return budget


def resolve_config(args: argparse.Namespace) -> PipelineConfig:
    """Load the config and fold in `--input`, `--output`, `--workers` and `--max-errors`."""
    overrides = list(args.overrides)
    if getattr(args, "max_errors", None) is not None:
        overrides.append(f"run.max_errors={args.max_errors!r}")
    config = load_config(args.config, overrides)
    updates: dict = {}
    if args.input:
        updates["input"] = config.input.model_copy(update={"paths": list(args.input)})
    if getattr(args, "output", None):
        updates["output"] = config.output.model_copy(update={"path": args.output})
    if getattr(args, "workers", None) is not None:
        if args.workers < 0:
            raise ConfigError(f"--workers must be 0 or more (got {args.workers})")
        updates["run"] = config.run.model_copy(update={"workers": args.workers})
    if updates:
        config = config.model_copy(update=updates)
    if not config.input.paths:
        raise ConfigError("no input: give --input PATH or input.paths in the config")
    return config


def cmd_validate(config: PipelineConfig) -> int:
    from pipeline.io.discover import discover_inputs
    from pipeline.run.estimate import estimate_records
    from pipeline.run.plan import plan_passes

    stages = [stage.build() for stage in config.enabled_stages()]
    passes = plan_passes(stages)
    files = discover_inputs(
        config.input.paths, format=config.input.format, storage_options=config.input.storage_options
    )
    print("# resolved configuration")
    print(dump_config(config))
    print("# plan")
    for p in passes:
        steps = ([f"apply {p.apply.name}"] if p.apply else []) + [s.name for s in p.stages]
        steps += [f"collect {p.collect.name}"] if p.collect else ["write kept/rejected"]
        print(f"pass {p.index}: " + " -> ".join(steps))
    total_bytes = sum(f.size or 0 for f in files)
    records, exact = estimate_records(files, config.input.storage_options)
    print(f"input: {len(files)} files, {total_bytes / 1e6:,.1f} MB")
    for f in files[:20]:
        print(f"  {f.uri} ({f.format}, {(f.size or 0) / 1e6:,.2f} MB)")
    if len(files) > 20:
        print(f"  ... and {len(files) - 20} more")
    print(f"records: {'' if exact else '~'}{records:,}")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, config: PipelineConfig) -> int:
    from pipeline.run.local import RunOptions, run_local

    if args.ray_address and args.executor != "ray":
        raise ConfigError("--ray-address needs --executor ray")
    output = config.output.path
    if not output:
        raise ConfigError("no output: give --output DIR or output.path in the config")
    if args.dry_run:
        return cmd_validate(config)
    options = RunOptions(
        output=Path(output),
        overwrite=args.overwrite,
        resume=args.resume,
        workers=config.run.workers,
        progress=not args.no_progress,
    )
    if args.executor == "ray":
        from pipeline.run.ray_runner import run_ray

        summary = run_ray(config, options, address=args.ray_address)
    else:
        summary = run_local(config, options)
    records = summary["records"]
    print(
        f"read {records['read']:,}  kept {records['kept']:,}  dropped {records['dropped']:,}  "
        f"unreadable {records['unreadable']:,}  -> {output}"
    )
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from pipeline.stats.table import format_funnel

    path = Path(args.output) / "stats.json"
    if not path.exists():
        raise ConfigError(f"{path} not found: is {args.output} the output of a finished run?")
    summary = json.loads(path.read_text(encoding="utf-8"))
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(format_funnel(summary))
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from pipeline.stats.inspect import inspect_reason
    from pipeline.stats.run_output import RunOutput

    if args.n < 1:
        raise ConfigError(f"-n must be at least 1 (got {args.n})")
    print(inspect_reason(RunOutput(args.output), args.reason, n=args.n, context=args.context))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from pipeline.stats.explain import explain_record
    from pipeline.stats.run_output import RunOutput

    print(explain_record(RunOutput(args.output), args.record_id))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.stats.report import write_report

    print(write_report(args.output))
    return EXIT_OK


REPORT_COMMANDS = {"inspect": cmd_inspect, "explain": cmd_explain, "report": cmd_report}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from pipeline.io.discover import InputError
    from pipeline.run.output_dir import OutputDirError
    from pipeline.stats.run_output import RunOutputError

    try:
        if args.command == "stats":
            return cmd_stats(args)
        if args.command in REPORT_COMMANDS:
            return REPORT_COMMANDS[args.command](args)
        config = resolve_config(args)
        if args.command == "validate":
            return cmd_validate(config)
        return cmd_run(args, config)
    except (ConfigError, InputError, OutputDirError, RunOutputError) as exc:
        print(f"crawlsieve: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("crawlsieve: interrupted; finish with --resume", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
        log.debug("failure", exc_info=True)
        print(f"crawlsieve: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    raise SystemExit(main())
