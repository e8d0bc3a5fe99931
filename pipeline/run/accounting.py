"""The accounting checks: every record is kept, dropped or unreadable; errors stay in budget."""

from __future__ import annotations

from pipeline.stats.bag import Stats


class AccountingError(RuntimeError):
    """Records were lost or counted twice: the run's output cannot be trusted."""


class ErrorBudgetExceeded(RuntimeError):
    """More unreadable records than `run.max_errors` allows."""


def record_counts(stats: Stats) -> dict[str, int]:
    c = stats.counters
    return {
        key: int(c.get(f"records.{key}", 0)) for key in ("read", "kept", "dropped", "unreadable")
    }


def check_accounting(stats: Stats) -> None:
    """Fail loudly unless read == kept + dropped + unreadable."""
    n = record_counts(stats)
    if n["read"] != n["kept"] + n["dropped"] + n["unreadable"]:
        raise AccountingError(
            f"accounting check failed: read {n['read']} != kept {n['kept']} + dropped "
            f"{n['dropped']} + unreadable {n['unreadable']}"
        )


def check_error_budget(stats: Stats, max_errors: float) -> None:
    """Fail when unreadable records exceed the budget (a count if >= 1, else a fraction of read)."""
    n = record_counts(stats)
    if n["unreadable"] == 0:
        return
    allowed = max_errors if max_errors >= 1 else max_errors * n["read"]
    if n["unreadable"] <= allowed:
        return
    files = {
        key.removeprefix("unreadable_files."): int(value)
        for key, value in stats.counters.items()
        if key.startswith("unreadable_files.")
    }
    worst = sorted(files.items(), key=lambda item: (-item[1], item[0]))[:5]
    detail = ", ".join(f"{name} ({count})" for name, count in worst)
    budget = f"{int(max_errors)}" if max_errors >= 1 else f"{max_errors:.2%} of {n['read']}"
    raise ErrorBudgetExceeded(
        f"{n['unreadable']} unreadable records exceed run.max_errors ({budget}); "
        f"worst files: {detail}. See the quarantine/ directory for each record's error; to "
        "accept them, run again with a larger --max-errors and --resume."
    )
