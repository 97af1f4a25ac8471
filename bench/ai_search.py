"""AI casting and AI search over HTTP, under gunicorn: 100,000 profiles of which 30,000 cinema.

What it measures (the issue 4 goal: both searches p95 < 150 ms):
- the population written in bulk (webapp/ai/population.py; the directory-search and casting
  demo generators will replace it when they land), then `gunicorn` started as `make run` does
  (gunicorn.conf.py, `WEB_CONCURRENCY` processes, 2 by default here);
- warm-up: from the start of gunicorn until the AI endpoints answer (they say 503
  "warming_up" while each worker builds its index in the background);
- p50/p95 of `POST /api/v1/cinema/ai-search` and `POST /api/v1/ai-search` for the labelled
  role and job descriptions of webapp/matching/evaluation.py plus long ones, one client at a
  time, keep-alive, Bearer token;
- memory (RSS) of each worker, with its index;
- how long a change written by another process (this one, through the directory service)
  takes to show in the searches of every worker.
Then the ranking quality figures of bench/matching_quality.py.

Settings: `BENCH_AI_PROFILES` (100000), `BENCH_AI_ROUNDS` (3), `BENCH_AI_PORT` (5801),
`BENCH_AI_WORKERS` (2), `BENCH_DATABASE_URL` (default: a throwaway SQLite file),
`BENCH_AI_QUALITY=0` to skip the quality figures. Runs standalone: `python -m bench.ai_search`.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DESCRIPTION = "AI casting and AI search over HTTP (gunicorn): p95, warm-up, memory per worker, change visibility"
GOAL_MS = 150.0
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-pass-2024"
RECRUITER = "bench-recruiter@talentbase.example.com"


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1)}


class Client:
    """A keep-alive JSON client with a Bearer token."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Content-Type": "application/json"}

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        for attempt in (1, 2):
            try:
                self.connection.request("POST", path, json.dumps(body), self.headers)
                response = self.connection.getresponse()
                data = response.read()
                return response.status, (json.loads(data) if data else {})
            except (http.client.HTTPException, ConnectionError, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def sign_in(self) -> None:
        status, body = self.post("/api/v1/auth/login", {"email": RECRUITER, "password": PASSWORD})
        assert status == 200, body
        self.headers["Authorization"] = f"Bearer {body['access_token']}"


def _environment(url: str, instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "FLASK_"))}
    env.update(DATABASE_URL=url, SECRET_KEY="bench-" + secrets.token_hex(8), APP_ENV="development",
               RATELIMIT_ENABLED="0", LOG_LEVEL="WARNING", ACCESS_LOG="", UPLOAD_DIR=str(instance / "uploads"),
               MAIL_DIR=str(instance / "mail"), ACCESS_TOKEN_TTL="7200")
    env.pop("REDIS_URL", None)
    return env


def _prepare(url: str, env: dict, size: int) -> dict:
    """Migrate, load reference data, a recruiter and the population (in a child process)."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    script = f"""
import json, time
from webapp import create_app
from webapp.extensions import db
app = create_app()
with app.app_context():
    from webapp.demo.cli import load_reference_data
    from webapp.accounts import services as accounts
    from webapp.ai import population
    from webapp.directory.models import Profile
    from sqlalchemy import func, select
    load_reference_data()
    if accounts.get_by_email({RECRUITER!r}) is None:
        accounts.create_account({RECRUITER!r}, {PASSWORD!r}, "Bench Recruiter", role="recruiter", verified=True)
    db.session.commit()
    have = db.session.scalar(select(func.count(Profile.id)))
    started = time.perf_counter()
    added = population.load(max(0, {size} - have), cinema_share=0.3) if have < {size} else 0
    print(json.dumps({{"profiles": have + added, "inserted": added, "seconds": round(time.perf_counter() - started, 1)}}))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _workers(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _wait_until_ready(client: Client, started: float, workers: int, timeout: float = 300) -> dict:
    """Seconds until the first AI answer, and until `workers * 10` answers in a row were ready."""
    first = None
    in_a_row = 0
    body = {"role_description": "actrice"}
    while time.perf_counter() - started < timeout:
        try:
            status, _ = client.post("/api/v1/cinema/ai-search", body)
        except OSError:
            status = 0
        if status == 200:
            first = first or time.perf_counter() - started
            in_a_row += 1
            if in_a_row >= 10 * workers:
                return {"first_answer_seconds": round(first, 1),
                        "all_workers_seconds": round(time.perf_counter() - started, 1)}
            continue
        if status not in (0, 503):
            raise RuntimeError(f"unexpected answer {status} while warming up")
        in_a_row = 0
        time.sleep(0.25)
    raise RuntimeError("the AI index did not warm up in time")


def _latencies(client: Client, path: str, bodies: list[dict], rounds: int) -> dict:
    samples = []
    for _ in range(rounds):
        for body in bodies:
            started = time.perf_counter()
            status, answer = client.post(path, body)
            samples.append(time.perf_counter() - started)
            assert status == 200, answer
    return _percentiles(samples)


def _visibility(client: Client, env: dict, workers: int, trials: int = 3) -> dict:
    """A profile's bio changed by another process, until every worker's searches show it."""
    script = """
import sys
from webapp import create_app
from webapp.extensions import db
app = create_app()
with app.app_context():
    from webapp.accounts import services as accounts
    from webapp.directory import services as directory
    from webapp.directory.models import Profile
    me = accounts.get_by_email(sys.argv[1])
    profile = db.session.get(Profile, int(sys.argv[2]))
    directory.update_profile(me, profile, {"bio": (profile.bio or "") + " " + sys.argv[3]})
    print("written", flush=True)
    sys.stdin.readline()
"""
    results = []
    for trial in range(trials):
        word = f"zorblax{secrets.token_hex(3)}"
        child = subprocess.Popen([sys.executable, "-c", script, RECRUITER, str(1000 + trial * 997), word], cwd=ROOT,
                                 env=env, stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "written"
        written = time.perf_counter()
        first = last_miss = None
        in_a_row = 0
        # Every worker has it once 10 answers per worker in a row had it; "seen by all" is the
        # first answer after the last one that did not.
        while time.perf_counter() - written < 30 and in_a_row < 10 * workers:
            _, body = client.post("/api/v1/ai-search", {"job_description": word})
            now = time.perf_counter() - written
            if body.get("total"):
                first = first if first is not None else now
                in_a_row += 1
            else:
                last_miss, in_a_row = now, 0
        child.communicate("\n")
        results.append((first, first if last_miss is None or (first and first > last_miss) else last_miss))
    return {"first_seen_ms": [round(f * 1000, 1) if f else None for f, _ in results],
            "seen_by_all_workers_ms": [round(a * 1000, 1) if a else None for _, a in results]}


def main(ctx=None) -> dict:
    from webapp.matching import evaluation

    size = int(os.environ.get("BENCH_AI_PROFILES", "100000"))
    rounds = int(os.environ.get("BENCH_AI_ROUNDS", "3"))
    port = int(os.environ.get("BENCH_AI_PORT", "5801"))
    workers = int(os.environ.get("BENCH_AI_WORKERS", "2"))
    instance = Path(tempfile.mkdtemp(prefix="bench-ai-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{instance / 'bench.db'}"
    env = _environment(url, instance)
    print(f"\nAI casting / AI search over HTTP: {size:,} profiles (30% cinema), {workers} gunicorn workers, "
          f"{'PostgreSQL' if url.startswith('postgres') else 'SQLite'}")
    loaded = _prepare(url, env, size)
    print(f"population: {loaded['profiles']:,} profiles ({loaded['inserted']:,} inserted in {loaded['seconds']} s)")

    env_server = dict(env, PORT=str(port), WEB_CONCURRENCY=str(workers), GUNICORN_THREADS="8")
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket",
                               "wsgi:app"], cwd=ROOT, env=env_server, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = Client(port)
        for _ in range(200):
            try:
                client.sign_in()
                break
            except OSError:
                time.sleep(0.1)
        warm = _wait_until_ready(client, started, workers)
        roles = [{"role_description": q.text} for q in evaluation.QUERIES if q.kind == "cast"]
        roles += [{"role_description": text} for text in _long_roles()]
        roles += [{"role_description": "Recherche actrice 25-35 ans...", "gender": "F", "age_min": 25, "age_max": 35,
                   "skin_tone": "Mat"}]
        jobs = [{"job_description": q.text} for q in evaluation.QUERIES if q.kind == "profiles"]
        jobs += [{"job_description": text} for text in _long_jobs()]
        cast = _latencies(client, "/api/v1/cinema/ai-search", roles, rounds)
        match = _latencies(client, "/api/v1/ai-search", jobs, rounds)
        memory = {pid: _rss_mb(pid) for pid in _workers(server.pid)}
        visibility = _visibility(client, env, workers)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    figures = {"profiles": loaded["profiles"], "workers": workers, "warm_up": warm, "ai_casting": cast,
               "ai_search": match, "worker_rss_mb": sorted(memory.values()), "change_visibility": visibility}
    figures["goal_met"] = cast["p95_ms"] < GOAL_MS and match["p95_ms"] < GOAL_MS
    _print(figures)
    if os.environ.get("BENCH_AI_QUALITY", "1") != "0":
        from bench import matching_quality

        figures["quality"] = matching_quality.main(ctx)
    return figures


def _long_roles() -> list[str]:
    from bench.matching_speed import LONG_ROLES

    return LONG_ROLES


def _long_jobs() -> list[str]:
    from bench.matching_speed import LONG_JOBS

    return LONG_JOBS


def _print(f: dict) -> None:
    w = f["warm_up"]
    print(f"warm-up after gunicorn starts: first answer {w['first_answer_seconds']} s, "
          f"every worker ready {w['all_workers_seconds']} s (searches meanwhile: 503 warming_up)")
    print(f"{'endpoint':<34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for label, key in (("POST /api/v1/cinema/ai-search", "ai_casting"), ("POST /api/v1/ai-search", "ai_search")):
        row = f[key]
        print(f"{label:<34}{row['n']:>6}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['max_ms']:>10}")
    print(f"worker memory (RSS, MB): {', '.join(str(m) for m in f['worker_rss_mb'])}")
    v = f["change_visibility"]
    print(f"a change written by another process: first seen after {v['first_seen_ms']} ms, "
          f"by every worker after {v['seen_by_all_workers_ms']} ms (polling continuously)")
    print(f"goal: AI casting and AI search p95 < {GOAL_MS:.0f} ms: {'met' if f['goal_met'] else 'NOT MET'}")


if __name__ == "__main__":
    main(None)
