"""Statistics of a run: what is counted, and the tools that show it.

bag.py            Stats: mergeable counters, fixed-bin histograms, bounded deterministic samples
breakdown.py      per-stage drop reasons, per-language and per-site counts (bounded site keys)
sites.py          the site of a URL: its registered domain, per distinct host
summary.py        merged Stats -> the readable sections of stats.json
table.py          `crawlsieve stats`: the summary as text tables
run_output.py     reading a finished output directory (stats, config, kept/rejected records)
input_records.py  re-reading input records by id from the run's input paths
thresholds.py     the feature thresholds a resolved config applies
text_diff.py      input/output line diff with each removed line's rule
inspect.py        `crawlsieve inspect`: examples of a drop reason or a line rule
explain.py        `crawlsieve explain`: the story of one record
charts.py         inline SVG charts
clusters.py       duplicate-cluster sizes from clusters.parquet
report.py         report.html
"""
