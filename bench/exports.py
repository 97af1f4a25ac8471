"""Issue 5's export speed on 100,000 profiles, and the statistics overview.

- the users Excel export from the database to the finished file (the background job itself),
  against xlsxwriter in constant-memory mode writing the very same rows from memory (goal:
  within 1.3x) and pandas' `to_excel` (goal: at least 3x faster);
- peak memory of the export (tracemalloc and RSS, in a forked child), at two row counts to
  show it does not grow with them (goal: under 200 MB whatever the row count);
- the CSV export in rows per second (goal: at least 150,000), in the steady state where every
  profile's line is kept (webapp/insights/export_lines.py); also reported: the cold export
  (no line kept, as on the first export or after a release), the fill that follows it, and an
  export after 1% of the profiles were edited since the last fill;
- the statistics overview (goal: under 200 ms).

Runs under the harness (`python -m bench exports`) or alone (`python bench/exports.py`): alone
it makes a throwaway instance with a migrated SQLite file (or BENCH_DATABASE_URL, which must
name a bench or test database: it is emptied). `BENCH_EXPORT_PROFILES` sets the population
(default 100,000), `BENCH_EXPORT_REPEAT` the timed runs of each writer (default 3), and
`BENCH_EXPORT_PANDAS=0` skips pandas (the slowest part).
"""

from __future__ import annotations

import os
import random
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DESCRIPTION = ("Exports on 100,000 profiles: users Excel vs xlsxwriter (≤1.3x) and pandas (≥3x faster), "
               "peak memory (<200 MB), CSV rows/s (≥150,000), stats overview (<200 ms)")
PROFILES = int(os.environ.get("BENCH_EXPORT_PROFILES", "100000"))
REPEAT = int(os.environ.get("BENCH_EXPORT_REPEAT", "3"))
WITH_PANDAS = os.environ.get("BENCH_EXPORT_PANDAS", "1") != "0"
GOALS = {"vs_xlsxwriter": 1.3, "vs_pandas": 3.0, "memory_mb": 200.0, "csv_rows_per_s": 150_000, "overview_ms": 200.0}

FIRST = ["Fatima", "Omar", "Awa", "Youssef", "Salma", "Mamadou", "Élodie", "Karim", "Aïcha", "Noé", "Inès", "Idriss",
         "Zineb", "Moussa", "Léa", "Hamza", "Khadija", "Ousmane", "Chloé", "Rachid"]
LAST = ["Alaoui", "Benali", "Diop", "Ndiaye", "El Amrani", "Traoré", "Martin", "Koné", "Bennani", "Sène", "Dubois",
        "Cissé", "Haddad", "Mbaye", "Lefèvre", "Tazi", "=HYPERLINK(\"x\")", "+33 trick", "Ouédraogo", "Chraïbi"]
HEADLINES = ["Développeur Python", "Comédienne et chanteuse", "Data analyst", "Figurant, cascadeur", "Chef de projet",
             "Graphic designer", "Mannequin", "Ingénieure réseaux", "@mention -risky", "Monteur vidéo"]


# The population ------------------------------------------------------------------------------

def seed_profiles(count: int = PROFILES, batch: int = 5000) -> int:
    """`count` profiles with 0-5 skills and 1-3 languages each, by bulk insert (Core)."""
    from sqlalchemy import func, insert, select

    from webapp.demo.cli import load_reference_data
    from webapp.directory.models import Profile, ProfileLanguage, ProfileSkill
    from webapp.extensions import db
    from webapp.taxonomy.models import City, Skill

    if db.session.scalar(select(func.count(Profile.id))) >= count:
        return count
    load_reference_data()
    cities = db.session.execute(select(City.id, City.country_id)).all()
    skills = list(db.session.scalars(select(Skill.id)))
    languages = ["fr", "ar", "en", "wo", "es", "ber"]
    rng = random.Random(5)
    now = datetime.now(UTC)
    made = 0
    while made < count:
        rows, links, spoken = [], [], []
        first_id = made + 1
        for index in range(min(batch, count - made)):
            pid = first_id + index
            city, country = rng.choice(cities)
            first, last = rng.choice(FIRST), rng.choice(LAST)
            created = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 720))
            rows.append({
                "id": pid, "code": f"MA{'MFN'[pid % 3]}{pid:06d}X", "first_name": first, "last_name": last,
                "sort_name": f"{last} {first}".lower(), "email": f"person{pid}@example.com",
                "phone": f"+212 6{pid:08d}", "gender": "MFN"[pid % 3],
                "birth_date": date(1960 + pid % 45, 1 + pid % 12, 1 + pid % 28), "nationality_id": country,
                "residence_country_id": country, "residence_city_id": city, "headline": rng.choice(HEADLINES),
                "years_experience": pid % 25, "availability": "full_time", "work_mode": "hybrid",
                "rate_min": 100 + pid % 400, "rate_max": 600 + pid % 400, "rate_currency": "MAD", "rate_unit": "day",
                "profile_score": pid % 101, "is_active": pid % 17 != 0, "source": "recruiter",
                "public_fields": [], "search_text": f"{first} {last}".lower(), "created_at": created,
                "updated_at": created,
            })
            for skill in rng.sample(skills, rng.randrange(0, 6)):
                links.append({"profile_id": pid, "skill_id": skill, "level": 1 + pid % 5})
            for position, code in enumerate(rng.sample(languages, rng.randrange(1, 4))):
                spoken.append({"profile_id": pid, "code": code, "level": "fluent", "position": position})
        db.session.execute(insert(Profile.__table__), rows)
        if links:
            db.session.execute(insert(ProfileSkill.__table__), links)
        db.session.execute(insert(ProfileLanguage.__table__), spoken)
        db.session.commit()
        made += len(rows)
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy import text

        db.session.execute(text("SELECT setval('profiles_id_seq', (SELECT max(id) FROM profiles))"))
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return made


def admin_user():
    from webapp.accounts import services as accounts
    from webapp.extensions import db

    user = accounts.get_by_email("bench-exports@talentbase.example.com")
    if user is None:
        user = accounts.create_account("bench-exports@talentbase.example.com", "Bench-pass-2024", "Bench Admin",
                                       role="admin", verified=True)
        db.session.commit()
    return user


# Measurements ---------------------------------------------------------------------------------

def _seconds(fn, repeat: int = REPEAT) -> dict:
    """Wall and CPU seconds of each run: on a shared, loaded machine the wall time counts the
    waits for a core, the CPU time (of this process) what the work itself costs."""
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(round(time.perf_counter() - began, 2))
        cpu.append(round(time.process_time() - began_cpu, 2))
    return {"wall": wall, "cpu": cpu}


def run_export(kind: str = "users", fmt: str = "xlsx", limit_id: int | None = None, **options) -> dict:
    """The background job itself (`exports.run`), from the database to the finished file."""
    from webapp.extensions import db
    from webapp.insights import exports
    from webapp.insights.models import Export

    admin = admin_user()
    filters = {}
    export = Export(user_id=admin.id, kind=kind, format=fmt, filters=filters, status="queued",
                    options={"locale": "en", **options}, download_name=f"bench.{fmt}")
    db.session.add(export)
    db.session.commit()
    if limit_id is not None:  # fewer rows, same code: the full-export selection narrowed by id
        from webapp.directory.models import Profile
        from webapp.insights.export_rows import Selection

        original = exports._selection_of
        exports._selection_of = lambda _export: Selection(conditions=(Profile.id <= limit_id,))
    try:
        exports.run(export.id)
    finally:
        if limit_id is not None:
            exports._selection_of = original
    db.session.expire_all()
    done = db.session.get(Export, export.id)
    path = exports.export_dir() / done.stored_name
    result = {"status": done.status, "rows": done.rows_done, "bytes": path.stat().st_size}
    path.unlink()
    return result


def rows_in_memory() -> tuple[list, list]:
    """The export's own columns and rows (its exact values), materialised for the other writers."""
    from webapp.extensions import db
    from webapp.insights import exports
    from webapp.insights.export_rows import SOURCES, Selection

    prepared = exports.prepare("users", "en")
    with db.engine.connect() as conn:
        rows = list(SOURCES["users"].rows(conn, Selection(), prepared.context))
    return prepared.columns, rows


def xlsxwriter_run(columns, rows, path: Path) -> None:
    """xlsxwriter in constant-memory mode: the same header, cells, dates, links and filter."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "remove_timezone": True})
    sheet = book.add_worksheet("Profiles")
    bold = book.add_format({"bold": True, "bg_color": "#E8EAF6"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    link = book.add_format({"font_color": "#0563C1", "underline": 1})
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width or 16)
        sheet.write_string(0, index, column.title, bold)
    kinds = [column.kind for column in columns]
    for number, row in enumerate(rows, start=1):
        for index, (kind, value) in enumerate(zip(kinds, row, strict=False)):
            if value is None:
                continue
            if kind == "link":
                sheet.write_formula(number, index, f'=HYPERLINK("{value[0]}","{value[1]}")', link, value[1])
            elif kind == "date":
                sheet.write_datetime(number, index, datetime.combine(value, datetime.min.time()), day)
            elif kind == "datetime":
                sheet.write_datetime(number, index, value, stamp)
            elif kind == "bool":
                sheet.write_boolean(number, index, value)
            elif kind in ("int", "float"):
                sheet.write_number(number, index, value)
            else:
                sheet.write_string(number, index, value)
    sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    book.close()


def pandas_run(frame, path: Path) -> None:
    frame.to_excel(path, index=False, sheet_name="Profiles")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


class no_fill:
    """Within it, an export does not start the fill of the CSV lines it had to build (the
    cold figures are those of the export alone)."""

    def __enter__(self):
        from webapp.insights import exports

        self.original, exports._keep_lines_after = exports._keep_lines_after, lambda *_args: None

    def __exit__(self, *_exc):
        from webapp.insights import exports

        exports._keep_lines_after = self.original


def memory_of_export(limit_id: int | None, fmt: str = "xlsx") -> dict:
    """Peak memory of one export (without the fill after it), in a forked child (its own RSS
    high-water mark)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child():
        from webapp.extensions import db

        db.engine.dispose(close=False)
        start_rss = _rss_mb()
        tracemalloc.start()
        with no_fill():
            result = run_export("users", fmt, limit_id=limit_id)
        traced = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
        send.send({"rows": result["rows"], "traced_peak_mb": traced, "rss_start_mb": start_rss,
                   "rss_peak_mb": peak_rss})
        send.close()

    process = context.Process(target=child)
    process.start()
    figures = receive.recv()
    process.join()
    return figures


def rss_along_the_way(fmt: str = "xlsx", samples: int = 5) -> list[tuple[int, float]]:
    """RSS (MB) after each fifth of the rows of one export, in this process: flat means the
    memory does not grow with the rows."""
    from sqlalchemy import func, select

    from webapp.directory.models import Profile
    from webapp.extensions import db
    from webapp.insights import exports
    from webapp.insights.export_rows import Selection

    prepared = exports.prepare("users", "en")
    counter, marks = [0], []
    total = db.session.scalar(select(func.count(Profile.id)))
    step = max(1, total // samples)
    with db.engine.connect() as conn, open(os.devnull, "wb") as sink:
        next_mark = step
        for chunk in exports.write_chunks(conn, exports.Request("users", fmt), Selection(), prepared, counter):
            sink.write(chunk)
            if counter[0] >= next_mark:
                marks.append((counter[0], round(_rss_mb(), 1)))
                next_mark += step
    return marks


def edit_profiles(count: int) -> None:
    """`count` profiles spread over the table get a new headline (their kept lines go)."""
    from sqlalchemy import func, select, update

    from webapp.directory.models import Profile
    from webapp.extensions import db

    top = db.session.scalar(select(func.max(Profile.id)))
    step = max(1, top // count)
    db.session.execute(update(Profile).where(Profile.id % step == 0).values(headline="Edited since the fill"))
    db.session.commit()


def _export_without_fill() -> None:
    with no_fill():
        run_export("users", "csv")


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(count: int = PROFILES) -> dict:
    from webapp.insights import services as stats

    load_before = _load_average()
    seeded_at = time.perf_counter()
    rows = seed_profiles(count)
    seed_seconds = time.perf_counter() - seeded_at
    results: dict = {"profiles": rows, "seed_s": round(seed_seconds, 1), "load_average_before": load_before}

    from webapp.insights import export_lines, exports

    export_lines.clear()  # a cold start, whatever an earlier run left
    # Memory first, while this process is small (the child's RSS starts from it).
    results["memory_full"] = memory_of_export(None)
    results["memory_tenth"] = memory_of_export(max(1, rows // 10))
    results["memory_full_csv"] = memory_of_export(None, "csv")
    exports.fill_lines("en", ",")
    results["memory_full_csv_kept"] = memory_of_export(None, "csv")
    results["rss_along_xlsx"] = rss_along_the_way("xlsx")

    results["ours_xlsx_s"] = _seconds(lambda: run_export("users", "xlsx"))
    columns, materialised = rows_in_memory()
    workdir = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    try:
        results["xlsxwriter_s"] = _seconds(lambda: xlsxwriter_run(columns, materialised, workdir / "xlsxwriter.xlsx"))
        if WITH_PANDAS:
            import pandas

            frame = pandas.DataFrame([[value[1] if isinstance(value, tuple) else value for value in row]
                                      for row in materialised], columns=[column.title for column in columns])
            for name in ("Created", "Updated"):
                frame[name] = pandas.to_datetime(frame[name], utc=True).dt.tz_localize(None)
            from pandas.io.excel._util import get_default_engine

            engine = pandas.get_option("io.excel.xlsx.writer")
            results["pandas_engine"] = get_default_engine("xlsx", mode="writer") if engine == "auto" else engine
            results["pandas_s"] = _seconds(lambda: pandas_run(frame, workdir / "pandas.xlsx"), repeat=1)
            del frame
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    materialised = None  # the memory back before the CSV runs

    export_lines.clear()
    with no_fill():
        results["csv_cold_s"] = _seconds(lambda: run_export("users", "csv"), repeat=1)
    results["csv_fill_s"] = _seconds(lambda: exports.fill_lines("en", ","), repeat=1)
    results["csv_s"] = _seconds(lambda: run_export("users", "csv"))  # the steady state: every line kept
    edit_profiles(rows // 100)
    results["csv_edited_s"] = _seconds(_export_without_fill, repeat=1)
    results["csv_cold_rows_per_s"] = round(rows / results["csv_cold_s"]["wall"][0])
    results["csv_edited_rows_per_s"] = round(rows / results["csv_edited_s"]["wall"][0])
    results["csv_rows_per_s"] = round(rows / min(results["csv_s"]["wall"]))
    results["csv_rows_per_cpu_s"] = round(rows / min(results["csv_s"]["cpu"]))
    columns_count = len(columns)
    results["csv_cells_per_cpu_s"] = round(rows * columns_count / min(results["csv_s"]["cpu"]))
    results["columns"] = columns_count

    overview = []
    for _ in range(20):
        began = time.perf_counter()
        stats.overview()
        overview.append((time.perf_counter() - began) * 1000)
    results["overview_ms"] = {"median": round(statistics.median(overview), 1), "max": round(max(overview), 1)}
    results["load_average_after"] = _load_average()
    return results


def report(results: dict, print_goal=None) -> list[tuple[str, bool, str]]:
    """Print the figures, then each goal (through the harness's ctx.goal when given)."""
    def best(key: str, clock: str) -> float:
        return min(results[key][clock])

    goals = []
    for clock in ("wall", "cpu"):
        ratio = best("ours_xlsx_s", clock) / best("xlsxwriter_s", clock)
        goals.append((f"users Excel within {GOALS['vs_xlsxwriter']}x xlsxwriter ({clock})",
                      ratio <= GOALS["vs_xlsxwriter"],
                      f"{best('ours_xlsx_s', clock):.2f} s vs {best('xlsxwriter_s', clock):.2f} s = {ratio:.2f}x"))
    if "pandas_s" in results:
        for clock in ("wall", "cpu"):
            faster = best("pandas_s", clock) / best("ours_xlsx_s", clock)
            goals.append((f"at least {GOALS['vs_pandas']}x faster than pandas ({clock})", faster >= GOALS["vs_pandas"],
                          f"pandas ({results['pandas_engine']}) {best('pandas_s', clock):.2f} s = {faster:.1f}x"))
    peak = max(results[key]["rss_peak_mb"] for key in ("memory_full", "memory_full_csv", "memory_full_csv_kept"))
    goals.append((f"peak memory under {GOALS['memory_mb']:.0f} MB", peak < GOALS["memory_mb"],
                  f"RSS peak {peak:.0f} MB; traced peak {results['memory_full']['traced_peak_mb']:.1f} MB at "
                  f"{results['memory_full']['rows']:,} rows vs {results['memory_tenth']['traced_peak_mb']:.1f} MB at "
                  f"{results['memory_tenth']['rows']:,}"))
    goals.append((f"CSV at least {GOALS['csv_rows_per_s']:,} rows/s", results["csv_rows_per_s"] >= GOALS["csv_rows_per_s"],
                  f"{results['csv_rows_per_s']:,} rows/s wall with every line kept, "
                  f"{results['csv_rows_per_cpu_s']:,} rows/s of CPU ({results['columns']} columns: "
                  f"{results['csv_cells_per_cpu_s']:,} cells/s of CPU); 1% edited since the fill "
                  f"{results['csv_edited_rows_per_s']:,} rows/s; cold {results['csv_cold_rows_per_s']:,} rows/s, "
                  f"then the fill {results['csv_fill_s']['wall'][0]} s"))
    goals.append((f"statistics overview under {GOALS['overview_ms']:.0f} ms",
                  results["overview_ms"]["median"] < GOALS["overview_ms"],
                  f"median {results['overview_ms']['median']} ms, max {results['overview_ms']['max']} ms"))
    print(f"\nExports on {results['profiles']:,} profiles (load average {results['load_average_before']} -> "
          f"{results['load_average_after']}; seeded in {results['seed_s']} s)")
    for key, label in (("ours_xlsx_s", "ours, DB -> finished xlsx"), ("xlsxwriter_s", "xlsxwriter, memory -> xlsx"),
                       ("pandas_s", "pandas to_excel"), ("csv_cold_s", "ours, DB -> csv, no line kept (cold)"),
                       ("csv_fill_s", "the fill of every line after it"),
                       ("csv_s", "ours, DB -> finished csv, every line kept"),
                       ("csv_edited_s", "ours, DB -> csv, 1% edited since the fill")):
        if key in results:
            print(f"  {label}: wall {results[key]['wall']} s, cpu {results[key]['cpu']} s")
    for key in ("memory_full", "memory_tenth", "memory_full_csv", "memory_full_csv_kept"):
        figures = results[key]
        print(f"  memory {key}: {figures['rows']:,} rows, traced peak {figures['traced_peak_mb']:.1f} MB, "
              f"RSS {figures['rss_start_mb']:.0f} -> {figures['rss_peak_mb']:.0f} MB")
    if "rss_along_xlsx" in results:
        print("  RSS along one xlsx export (rows, MB): " + ", ".join(f"{rows:,}: {mb}" for rows, mb in
                                                                  results["rss_along_xlsx"]))
    for name, met, detail in goals:
        if print_goal is not None:
            print_goal(name, met, detail)
        else:
            print(f"  goal: {name}: {detail}  {'met' if met else 'NOT MET'}")
    return goals


def main(ctx) -> dict:
    """Under the harness: the bench database of this run, seeded once."""
    ctx.prepare_database()
    with ctx.in_app():
        results = measure()
    goals = report(results, getattr(ctx, "goal", None))
    return {"results": results, "goals": [{"goal": name, "met": met, "detail": detail} for name, met, detail in goals]}


def standalone() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="talentbase-bench-exports-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    os.environ.update({"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), "APP_ENV": "development",
                       "EXPORT_DIR": str(workdir / "exports"), "JOBS_BACKEND": "inline", "LOG_LEVEL": "WARNING",
                       "RATELIMIT_ENABLED": "false"})
    from flask_migrate import upgrade
    from sqlalchemy import text

    from webapp import create_app
    from webapp.extensions import db

    app = create_app(instance_path=str(workdir / "instance"))
    try:
        with app.app_context():
            if url.startswith("postgres"):
                name = db.engine.url.database or ""
                if "bench" not in name and "test" not in name:
                    raise SystemExit(f"BENCH_DATABASE_URL names {name!r}: it must contain 'bench' or 'test'")
                with db.engine.begin() as connection:
                    connection.execute(text("DROP SCHEMA public CASCADE"))
                    connection.execute(text("CREATE SCHEMA public"))
            upgrade(directory=str(ROOT / "migrations"))
            report(measure())
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    standalone()
