"""`python -m bench [NAME ...]`: run every benchmark, or the named ones; `--list` lists them.

A benchmark is a module `bench/<name>.py` with `DESCRIPTION: str` and `main(ctx) -> dict`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import bench
from bench.harness import RESULTS_DIR, ROOT, Context, Settings

NOT_BENCHMARKS = {"harness", "hello_app"}


def discover() -> dict[str, object]:
    """Every module of the package that declares DESCRIPTION and main(), by name."""
    found = {}
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda info: info.name):
        if info.name.startswith("_") or info.name in NOT_BENCHMARKS:
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if callable(getattr(module, "main", None)) and isinstance(getattr(module, "DESCRIPTION", None), str):
            found[info.name] = module
    return found


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--duration", type=float, help="seconds of measured load per URL (BENCH_DURATION, 6)")
    parser.add_argument("--rounds", type=int, help="rounds the URLs compared take turns in (BENCH_ROUNDS, 3)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up load per URL (BENCH_WARMUP, 1)")
    parser.add_argument("--concurrency", type=int, help="open connections (BENCH_CONCURRENCY, 8)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"),
                        help="load generator (BENCH_CLIENT, auto: wrk when installed)")
    parser.add_argument("--save", action="store_true", help="write the figures to bench/results/<time>.json")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway instance folder (server logs)")
    return parser.parse_args(argv)


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _stop_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt  # unwinds through ctx.close(), which stops the servers


def main(argv: list[str]) -> int:
    args = parse(argv)
    benchmarks = discover()
    if args.list:
        for name, module in benchmarks.items():
            print(f"{name:<20} {module.DESCRIPTION}")
        return 0
    unknown = [name for name in args.names if name not in benchmarks]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Known: {', '.join(benchmarks)}", file=sys.stderr)
        return 2
    chosen = args.names or list(benchmarks)

    settings = Settings.from_environment(duration=args.duration, rounds=args.rounds, warmup=args.warmup, concurrency=args.concurrency,
                                         client=args.client, keep=args.keep or None)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    ctx = Context(settings)
    print(f"Benchmarks: {', '.join(chosen)}  (client {ctx.client}, {settings.concurrency} connections, "
          f"{settings.duration:g} s per URL in {settings.rounds} rounds, database {ctx.database_kind}, {ctx.describe()['cpus']} CPUs)")
    if ctx.client == "python":
        print("  wrk is not installed: using the pure-Python load generator, which takes CPU from the servers"
              " (apt-get install wrk)")
    results: dict[str, dict] = {}
    failed: list[str] = []
    try:
        for name in chosen:
            print(f"\n== {name}: {benchmarks[name].DESCRIPTION}", flush=True)
            began = time.monotonic()
            try:
                results[name] = benchmarks[name].main(ctx) or {}
            except KeyboardInterrupt:
                raise
            except Exception as error:  # one broken benchmark must not hide the others' figures
                import traceback

                traceback.print_exc()
                failed.append(name)
                results[name] = {"error": f"{type(error).__name__}: {error}"}
            print(f"   ({time.monotonic() - began:.0f} s)", flush=True)
    except KeyboardInterrupt:
        print("\nInterrupted: stopping the servers.", file=sys.stderr)
        return 130
    finally:
        ctx.close()

    summarise(ctx, failed)
    if args.save:
        save(ctx, results)
    return 1 if failed else 0


def summarise(ctx: Context, failed: list[str]) -> None:
    if ctx.goals:
        print("\nGoals")
        for goal in ctx.goals:
            print(f"  [{'met' if goal['met'] else 'NOT MET':>7}] {goal['goal']}: {goal['measured']}")
    if failed:
        print(f"\nFailed: {', '.join(failed)}")


def save(ctx: Context, results: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    document = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "commit": git_commit(), "settings": ctx.describe(),
                "goals": ctx.goals, "results": results}
    path.write_text(json.dumps(document, indent=2, default=str))
    print(f"\nFigures written to {path.relative_to(ROOT)}")
    return path


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
