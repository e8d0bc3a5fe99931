"""Funnel counts broken down by language, by site and by the stage that dropped a record.

Counted when records leave the run (kept or dropped), under these counters:

* `by_lang.<lang>.{docs_in,docs_kept,chars_in,chars_kept}` when the records have a `lang` column
  (`_none` for records dropped before the language stage);
* `by_site.<site>.{docs_in,docs_kept,chars_in,chars_kept}`, the site being the registered domain of
  the URL (`pipeline.clean.registered_domain`);
* `funnel.<stage>.dropped.<reason>`: records a stage dropped, by reason.

`chars_in` is the text length as read (`original_chars`), `chars_kept` the length of the kept text.

The number of site keys is bounded: a unit (one output shard's worth of records) keeps at most
`MAX_SITES_PER_UNIT` sites of its own. When it has seen more than twice that many, the sites with
the fewest characters read (ties: by name) are folded into `by_site._other`, so the totals stay
exact, a site's count is exact unless it was folded in some unit (then it is a lower bound), and
the merged stats of a run hold at most `MAX_SITES_PER_UNIT * 2` site keys per unit.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.clean.registered_domain import NO_SITE, site_keys
from pipeline.schema import DROP_REASON, ORIGINAL_CHARS, TEXT, URL
from pipeline.stats.bag import Stats

LANG = "lang"
NO_LANG = "_none"
OTHER_SITES = "_other"
MAX_SITES_PER_UNIT = 200
GROUP_FIELDS = ("docs_in", "docs_kept", "chars_in", "chars_kept")


def count_outcomes(stats: Stats, live: pa.Table, dropped: list[pa.Table]) -> None:
    """Count kept (`live`) and dropped records by language and by site into `stats`."""
    parts = [_outcome_columns(live, kept=True)]
    parts += [_outcome_columns(table, kept=False) for table in dropped if table.num_rows]
    table = pa.concat_tables([p for p in parts if p.num_rows] or parts[:1])
    if table.num_rows == 0:
        return
    if any(LANG in t.column_names for t in [live, *dropped]):
        _count_groups(stats, "by_lang", table, "lang")
    _count_groups(stats, "by_site", table, "site", keep=MAX_SITES_PER_UNIT)
    fold_sites(stats, MAX_SITES_PER_UNIT)


def count_stage_drops(stats: Stats, stage: str, dropped: pa.Table) -> None:
    """Count the records `stage` dropped under `funnel.<stage>.dropped.<reason>`."""
    if dropped.num_rows == 0 or DROP_REASON not in dropped.column_names:
        return
    counts = pc.value_counts(pc.fill_null(dropped[DROP_REASON], "unknown"))
    for item in counts.to_pylist():
        stats.count(f"funnel.{stage}.dropped.{item['values']}", item["counts"])


def fold_sites(stats: Stats, max_sites: int) -> None:
    """Fold the smallest sites into `_other` once there are more than `2 * max_sites` of them."""
    if len(stats.counters) <= len(GROUP_FIELDS) * 2 * max_sites:
        return  # cannot hold more than 2 * max_sites sites: no need to look
    sites = group_totals(stats.counters, "by_site")
    sites.pop(OTHER_SITES, None)
    if len(sites) <= 2 * max_sites:
        return
    ranked = sorted(sites, key=lambda site: (-sites[site]["chars_in"], site))
    for site in ranked[max_sites:]:
        for name in GROUP_FIELDS:
            value = stats.counters.pop(f"by_site.{site}.{name}", 0)
            stats.count(f"by_site.{OTHER_SITES}.{name}", value)


def group_totals(counters: dict[str, float], prefix: str) -> dict[str, dict[str, int]]:
    """`{key: {docs_in, docs_kept, chars_in, chars_kept}}` from `<prefix>.<key>.<field>`."""
    out: dict[str, dict[str, int]] = {}
    start = f"{prefix}."
    for name, value in counters.items():
        if not name.startswith(start):
            continue
        key, _, field = name[len(start) :].rpartition(".")
        if field in GROUP_FIELDS and key:
            out.setdefault(key, dict.fromkeys(GROUP_FIELDS, 0))[field] = int(value)
    return out


def _outcome_columns(table: pa.Table, *, kept: bool) -> pa.Table:
    """lang, site, kept flag, chars in and chars kept for each record of `table`."""
    n = table.num_rows
    if LANG in table.column_names:
        lang = pc.fill_null(pc.cast(table[LANG], pa.string()), NO_LANG)
    else:
        lang = pa.repeat(pa.scalar(NO_LANG), n)
    site = site_keys(table[URL]) if URL in table.column_names else pa.repeat(pa.scalar(NO_SITE), n)
    if ORIGINAL_CHARS in table.column_names:
        chars_in = pc.fill_null(pc.cast(table[ORIGINAL_CHARS], pa.int64()), 0)
    else:
        chars_in = _text_lengths(table)
    chars_kept = _text_lengths(table) if kept else pa.repeat(pa.scalar(0, pa.int64()), n)
    return pa.table(
        {
            "lang": lang,
            "site": site,
            "docs_kept": pa.repeat(pa.scalar(1 if kept else 0, pa.int64()), n),
            "chars_in": chars_in,
            "chars_kept": chars_kept,
        }
    )


def _text_lengths(table: pa.Table) -> pa.ChunkedArray | pa.Array:
    if TEXT not in table.column_names:
        return pa.repeat(pa.scalar(0, pa.int64()), table.num_rows)
    return pc.fill_null(pc.cast(pc.utf8_length(table[TEXT]), pa.int64()), 0)


def _count_groups(
    stats: Stats, prefix: str, table: pa.Table, column: str, *, keep: int | None = None
) -> None:
    """Sum the outcome columns per value of `column`; with `keep`, only the `keep` groups with the
    most characters read get their own keys and the rest is added to `<prefix>._other`."""
    encoded = pc.dictionary_encode(table[column]).combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    names = encoded.dictionary.to_pylist()
    size = len(names)
    sums = {
        "docs_in": np.bincount(codes, minlength=size),
        "docs_kept": _sum_by(codes, table["docs_kept"], size),
        "chars_in": _sum_by(codes, table["chars_in"], size),
        "chars_kept": _sum_by(codes, table["chars_kept"], size),
    }
    order = sorted(range(size), key=lambda g: (-int(sums["chars_in"][g]), names[g]))
    own = order if keep is None else order[:keep]
    for group in own:
        for field in GROUP_FIELDS:
            stats.count(f"{prefix}.{names[group]}.{field}", int(sums[field][group]))
    rest = order[len(own) :]
    if rest:
        for field in GROUP_FIELDS:
            stats.count(f"{prefix}.{OTHER_SITES}.{field}", int(sums[field][rest].sum()))


def _sum_by(codes: np.ndarray, values: pa.ChunkedArray, size: int) -> np.ndarray:
    weights = values.to_numpy().astype(np.float64)  # exact: a batch sums far below 2**53
    return np.rint(np.bincount(codes, weights=weights, minlength=size)).astype(np.int64)
