"""Ranking quality of the matching engine against plain BM25 (precision@10, nDCG@10).

The population and the labelled queries are described in `webapp/matching/evaluation.py`.
`BENCH_MATCHING_QUALITY_PROFILES` sets the population size (default 30,000, 30% cinema);
`python -m bench.matching_quality --queries` also prints every query's figures.
"""

from __future__ import annotations

import os
import sys
import time

from webapp.matching import evaluation

DESCRIPTION = "AI casting / AI search ranking quality: precision@10 and nDCG@10, engine vs plain BM25"

SYSTEMS = (("engine", "engine"), ("engine_no_conditions", "no-conditions"), ("bm25", "BM25"))


def _table(columns: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in columns]] + [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row]
                                           for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(ctx=None, *, show_queries: bool = False) -> dict:
    size = int(os.environ.get("BENCH_MATCHING_QUALITY_PROFILES", "30000"))
    started = time.perf_counter()
    report = evaluation.evaluate(size=size)
    seconds = time.perf_counter() - started
    summary = report["summary"]
    print(f"\nMatching quality: {report['size']:,} generated profiles (30% cinema), "
          f"{len(report['queries'])} labelled queries, {seconds:.0f} s")
    columns = ["queries", "n"] + [f"{label} {metric}" for _, label in SYSTEMS for metric in ("P@10", "nDCG@10")]
    rows = [[group, figures["queries"]] + [figures[name][metric] for name, _ in SYSTEMS
                                           for metric in ("p@10", "ndcg@10")]
            for group, figures in summary.items()]
    print(_table(columns, rows))
    print("no-conditions: the engine with reading of conditions from the text switched off (ablation)")
    if show_queries:
        print()
        rows = [[q["query"], q["relevant"]] + [q[name][metric] for name, _ in SYSTEMS for metric in ("p@10", "ndcg@10")]
                for q in report["queries"]]
        print(_table(["query", "relevant"] + columns[2:], rows))
    overall = summary["all"]
    beats = overall["engine"]["ndcg@10"] > overall["bm25"]["ndcg@10"] and \
        overall["engine"]["p@10"] > overall["bm25"]["p@10"]
    print(f"goal: the engine beats plain BM25 on precision@10 and nDCG@10: {'met' if beats else 'NOT MET'}")
    return {"profiles": report["size"], "queries": len(report["queries"]), "summary": summary,
            "per_query": report["queries"], "goal_met": beats, "seconds": round(seconds, 1)}


if __name__ == "__main__":
    main(None, show_queries="--queries" in sys.argv[1:])
