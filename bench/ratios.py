#!/usr/bin/env python3
"""Prints a JMH JSON result as a Markdown table: ops/s and bytes per op, each also as a ratio to a
baseline value of the 'encoder' parameter, for every other parameter combination."""
import json
import sys
from collections import defaultdict

path, baseline = sys.argv[1], sys.argv[2]
rows = defaultdict(dict)
for run in json.load(open(path)):
    params = dict(run.get("params", {}))
    subject = params.pop("encoder")
    key = ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
    score = run["primaryMetric"]["score"]
    error = run["primaryMetric"].get("scoreError", 0.0)
    alloc = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    rows[key][subject] = (score, error, alloc)

print("| case | encoder | ops/s | ± | ratio to %s | bytes/op | ratio to %s |" % (baseline, baseline))
print("|---|---|---:|---:|---:|---:|---:|")
for key in sorted(rows):
    base_score, _, base_alloc = rows[key].get(baseline, (None, None, None))
    for subject, (score, error, alloc) in sorted(rows[key].items()):
        ratio = f"{score / base_score:.2f}" if base_score else "n/a"
        alloc_text = f"{alloc:.0f}" if alloc is not None else "n/a"
        alloc_ratio = f"{alloc / base_alloc:.2f}" if alloc is not None and base_alloc else "n/a"
        print(f"| {key} | {subject} | {score:,.0f} | {error:,.0f} | {ratio} | {alloc_text} | {alloc_ratio} |")
