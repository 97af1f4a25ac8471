"""What every benchmark shares: real servers, a load generator, sign-in helpers, timers.

A benchmark module gets a `Context` (`main(ctx)`). Through it, it can

- start the real app under the same gunicorn settings as `make run` (gunicorn.conf.py), on a
  throwaway instance folder with a migrated SQLite file, or on `BENCH_DATABASE_URL`
  (`ctx.app_server()`), and a bare Flask "hello" app beside it (`ctx.hello_server()`);
- seed data in-process into the same database (`ctx.seed`, `ctx.account`, `ctx.in_app`);
- load a URL with given headers or cookies at a concurrency for a duration, with wrk when it
  is installed and a pure-Python keep-alive client otherwise (`ctx.load`), and compare pages
  with "hello" measured in the same run, by the same client (`ctx.compare`);
- sign in and get a session cookie or a Bearer token (`ctx.session_cookie`, `ctx.bearer_token`);
- time a function in-process (`time_call`) and measure its peak memory (`measure_memory`);
- print tables and goals (`ctx.table`, `ctx.goal`).

Servers are started once per run, when a benchmark first asks for them, and stopped at the end.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
BENCH_PASSWORD = "Bench-pass-2024"
SESSION_COOKIE = "talentbase_session"


# Settings ------------------------------------------------------------------------------------

@dataclass
class Settings:
    duration: float = 6.0  # seconds of measured load per URL
    rounds: int = 3  # compare() cuts the duration into rounds that take turns
    warmup: float = 1.0  # seconds of unmeasured load before each measurement
    concurrency: int = 8  # open connections
    client: str = "auto"  # "wrk", "python" or "auto" (wrk when installed)
    database_url: str | None = None  # BENCH_DATABASE_URL: PostgreSQL instead of a SQLite file
    redis_url: str | None = None  # BENCH_REDIS_URL
    port: int | None = None  # BENCH_PORT: first port to use (the app; hello is the next one)
    keep: bool = False  # keep the instance folder (and print where it is)

    @classmethod
    def from_environment(cls, **overrides) -> Settings:
        env = os.environ
        settings = cls(
            duration=float(env.get("BENCH_DURATION", cls.duration)),
            rounds=int(env.get("BENCH_ROUNDS", cls.rounds)),
            warmup=float(env.get("BENCH_WARMUP", cls.warmup)),
            concurrency=int(env.get("BENCH_CONCURRENCY", cls.concurrency)),
            client=env.get("BENCH_CLIENT", cls.client),
            database_url=env.get("BENCH_DATABASE_URL") or None,
            redis_url=env.get("BENCH_REDIS_URL") or None,
            port=int(env["BENCH_PORT"]) if env.get("BENCH_PORT") else None,
        )
        for name, value in overrides.items():
            if value is not None:
                setattr(settings, name, value)
        return settings


# Servers -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Server:
    """A gunicorn process started with gunicorn.conf.py (as `make run` does), in its own
    process group so that stopping it stops its workers too."""

    def __init__(self, name: str, wsgi: str, port: int, env: dict[str, str], log_dir: Path,
                 ready_path: str = "/"):
        self.name = name
        self.wsgi = wsgi
        self.port = port
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
        self.log_path = log_dir / f"{name}.log"
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def start(self, timeout: float = 60.0) -> Server:
        command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), self.wsgi]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        self._wait_ready(timeout)
        if self.ready_path == "/healthz":
            self._wait_warm()
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url(self.ready_path), timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} was not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def _wait_warm(self, timeout: float = 300.0, in_a_row: int = 6) -> None:
        """Until the app says its workers have built their in-memory indexes (`warm_up` in
        /healthz): production measures a warmed-up worker, and a build running beside the load
        would be counted in every figure. Each ask is a new connection, so with several workers
        several answers in a row must say so."""
        began = time.monotonic()
        done = 0
        while done < in_a_row and time.monotonic() - began < timeout:
            try:
                with urllib.request.urlopen(self.url(self.ready_path), timeout=5) as answer:
                    warm = json.loads(answer.read() or b"{}").get("warm_up", "done") == "done"
            except (OSError, ValueError):
                warm = False
            done = done + 1 if warm else 0
            if done < in_a_row:
                time.sleep(0.1 if warm else 0.5)
        waited = time.monotonic() - began
        if done < in_a_row:
            print(f"  {self.name}: still warming up after {waited:.0f} s; measuring anyway", flush=True)
        elif waited > 2:
            print(f"  {self.name}: warmed up {waited:.0f} s after answering", flush=True)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server's processes (its process group) so far."""
        if self.process is None:
            return 0.0
        total = 0
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:  # the process ended meanwhile
                continue
            if int(fields[2]) == self.process.pid:  # fields[2] is the process group
                total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 25.0) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL for whatever is left of the group."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


# Load generation ----------------------------------------------------------------------------

# Every request of a run names the same browser, the sign-in included: the app's session
# protection (flask-login's "basic") marks a session no longer fresh, and so sends the cookie
# again on every answer, when a request comes from another browser than the one that signed in.
USER_AGENT = "talentbase-bench/1"


@dataclass
class Target:
    """A URL to load, with the headers and cookies each request carries."""

    label: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    expect_status: int = 200

    def all_headers(self) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT, **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers


@dataclass
class LoadResult:
    label: str
    url: str
    client: str
    concurrency: int
    seconds: float
    requests: int
    errors: int  # connection errors, timeouts and answers with a status of 400 or more
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    server_cpu_ms: float | None = None  # CPU time the server's processes spent per request

    def as_dict(self) -> dict:
        return asdict(self)


WRK_SCRIPT = r"""
-- Written by bench/harness.py: print the summary and latency percentiles as one JSON line.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %.0f, "duration_us": %.0f, "connect": %.0f, "read": %.0f, "write": %.0f, ' ..
    '"status": %.0f, "timeout": %.0f, "p50": %.0f, "p95": %.0f, "p99": %.0f, "max": %.0f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def choose_client(preference: str) -> str:
    if preference == "wrk" and not wrk_available():
        raise RuntimeError("BENCH_CLIENT=wrk but wrk is not installed (apt-get install wrk)")
    if preference in ("wrk", "python"):
        return preference
    return "wrk" if wrk_available() else "python"


def run_wrk(target: Target, concurrency: int, duration: float, script: Path) -> LoadResult:
    threads = max(1, min(int(os.environ.get("BENCH_WRK_THREADS", "1")), concurrency))
    command = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{max(1, round(duration))}s",
               "--timeout", "10s", "-s", str(script)]
    for name, value in target.all_headers().items():
        command += ["-H", f"{name}: {value}"]
    command.append(target.url)
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    line = next((ln for ln in output.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    data = json.loads(line[len("BENCH_JSON "):])
    seconds = data["duration_us"] / 1e6
    errors = sum(int(data[key]) for key in ("connect", "read", "write", "status", "timeout"))
    return LoadResult(target.label, target.url, "wrk", concurrency, seconds, int(data["requests"]), errors,
                      data["requests"] / seconds if seconds else 0.0, data["p50"] / 1000, data["p95"] / 1000,
                      data["p99"] / 1000, data["max"] / 1000)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def run_python(target: Target, concurrency: int, duration: float) -> LoadResult:
    """The fallback client: one thread per connection, http.client with keep-alive."""
    parts = urllib.parse.urlsplit(target.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = target.all_headers()
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    start_line = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def connect():
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)

    def worker(slot: int) -> None:
        mine, conn = latencies[slot], connect()
        start_line.wait()
        while (began := time.perf_counter()) < deadline[0]:
            try:
                conn.request("GET", path, headers=headers)
                answer = conn.getresponse()
                answer.read()
                if answer.status >= 400:
                    errors[slot] += 1
                if answer.will_close:
                    conn.close()
                    conn = connect()
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                conn.close()
                conn = connect()
            mine.append(time.perf_counter() - began)
        conn.close()

    workers = [threading.Thread(target=worker, args=(slot,), daemon=True) for slot in range(concurrency)]
    for thread in workers:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + duration
    start_line.wait()
    for thread in workers:
        thread.join(duration + 30)
    seconds = time.perf_counter() - began
    every = sorted(value for slot in latencies for value in slot)
    return LoadResult(target.label, target.url, "python", concurrency, seconds, len(every), sum(errors),
                      len(every) / seconds if seconds else 0.0, percentile(every, 0.50) * 1000,
                      percentile(every, 0.95) * 1000, percentile(every, 0.99) * 1000,
                      (every[-1] if every else 0.0) * 1000)


HELLO = "hello (bare Flask)"


def merge_rounds(results: list[LoadResult]) -> LoadResult:
    """One figure from several rounds: requests per second over the whole time; each latency
    percentile is the median of the rounds' (wrk keeps no raw latencies to pool)."""
    first = results[0]
    seconds = sum(result.seconds for result in results)
    requests = sum(result.requests for result in results)

    def middle(name: str) -> float:
        return statistics.median(getattr(result, name) for result in results)

    cpu = None
    if requests and all(result.server_cpu_ms is not None for result in results):
        cpu = sum(result.server_cpu_ms * result.requests for result in results) / requests
    return LoadResult(first.label, first.url, first.client, first.concurrency, seconds, requests,
                      sum(result.errors for result in results), requests / seconds if seconds else 0.0,
                      middle("p50_ms"), middle("p95_ms"), middle("p99_ms"), max(result.max_ms for result in results),
                      cpu)


def cpu_ratio(result: LoadResult, hello: LoadResult) -> float | None:
    """hello's server CPU per request over this one's: the share of hello's throughput a server
    whose CPU is the limit would reach (steadier than req/s when the machine is shared)."""
    if not result.server_cpu_ms or not hello.server_cpu_ms:
        return None
    return hello.server_cpu_ms / result.server_cpu_ms


def probe(target: Target) -> int:
    """One request before the load, so a redirect or an error page is never what gets measured."""
    parts = urllib.parse.urlsplit(target.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=target.all_headers())
        answer = conn.getresponse()
        body = answer.read()
    finally:
        conn.close()
    if answer.status != target.expect_status:
        raise RuntimeError(f"{target.label}: {target.url} answered {answer.status}, expected "
                           f"{target.expect_status}:\n{body[:500].decode(errors='replace')}")
    return answer.status


# In-process measurements ------------------------------------------------------------------

@dataclass
class Timing:
    runs: list[float]  # seconds, one per repetition

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.runs)

    def as_dict(self) -> dict:
        return {"runs": len(self.runs), "best_ms": self.best * 1000, "median_ms": self.median * 1000,
                "mean_ms": self.mean * 1000}


def empty_postgres(engine) -> None:
    """BENCH_DATABASE_URL is emptied first, like the SQLite file is new: refuse any database
    whose name does not say it is for benchmarks or tests."""
    from sqlalchemy import text

    name = engine.url.database or ""
    if "bench" not in name and "test" not in name:
        raise RuntimeError(f"BENCH_DATABASE_URL points at {name!r}: the benchmarks empty their database, "
                           "so its name must contain 'bench' or 'test'")
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def time_call(fn: Callable[[], Any], *, repeat: int = 5, warmup: int = 1, number: int = 1) -> Timing:
    """Wall time of `fn()` in this process: `warmup` unmeasured calls, then `repeat` measurements
    of `number` calls each (reported per call). Use `best` for "how fast can it be", `median`
    for "how fast is it usually"."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - began) / number)
    return Timing(runs)


@dataclass
class MemoryResult:
    seconds: float  # wall time of the call (slower with tracemalloc on)
    traced_peak_bytes: int | None  # tracemalloc's peak of Python allocations during the call
    rss_start_bytes: int  # resident memory when the call started
    rss_peak_bytes: int  # the process's resident high-water mark after the call
    result: Any = None

    @property
    def rss_growth_bytes(self) -> int:
        return max(0, self.rss_peak_bytes - self.rss_start_bytes)

    def as_dict(self) -> dict:
        mib = 1024 * 1024
        return {"seconds": self.seconds, "traced_peak_mib": None if self.traced_peak_bytes is None
                else self.traced_peak_bytes / mib, "rss_start_mib": self.rss_start_bytes / mib,
                "rss_peak_mib": self.rss_peak_bytes / mib, "rss_growth_mib": self.rss_growth_bytes / mib}


def _current_rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def _measure_here(fn: Callable[[], Any], trace: bool) -> MemoryResult:
    rss_start = _current_rss()
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    try:
        result = fn()
        seconds = time.perf_counter() - began
        traced = tracemalloc.get_traced_memory()[1] if trace else None
    finally:
        if trace:
            tracemalloc.stop()
    return MemoryResult(seconds, traced, rss_start, max(_peak_rss(), _current_rss()), result)


def _own_connections_after_fork() -> None:
    """A forked child must not use the parent's database connections: it opens its own."""
    try:
        from flask import has_app_context
    except ImportError:
        return
    if has_app_context():
        from webapp.extensions import db

        for engine in db.engines.values():
            engine.dispose(close=False)


def _measure_child(fn, trace, pipe) -> None:
    try:
        _own_connections_after_fork()
        outcome = _measure_here(fn, trace)
        try:
            pipe.send(("ok", outcome))
        except Exception:  # an unpicklable result: send the figures without it
            outcome.result = None
            pipe.send(("ok", outcome))
    except BaseException as error:  # report anything to the parent rather than die silently
        pipe.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        pipe.close()


def measure_memory(fn: Callable[[], Any], *, trace: bool = True, isolate: bool = True,
                   timeout: float = 1800) -> MemoryResult:
    """Peak memory of `fn()`. With `isolate` (the default) it runs in a forked child process, so
    the resident high-water mark is its own and not this process's history; `trace` adds
    tracemalloc's peak of Python allocations (it slows the call: time it separately)."""
    if not isolate:
        return _measure_here(fn, trace)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_measure_child, args=(fn, trace, send), daemon=True)
    child.start()
    send.close()
    if not receive.poll(timeout):
        child.kill()
        raise TimeoutError(f"measure_memory: no answer after {timeout} s")
    status, payload = receive.recv()
    child.join(10)
    if status != "ok":
        raise RuntimeError(f"measure_memory: {payload}")
    return payload


# Output ---------------------------------------------------------------------------------------

def format_table(columns: list[str], rows: Iterable[Iterable[Any]]) -> str:
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(columns)]

    def line(values):
        return "  ".join(value.ljust(widths[i]) if i == 0 else value.rjust(widths[i]) for i, value in enumerate(values))

    return "\n".join([line(columns), line(["-" * width for width in widths])] + [line(row) for row in cells])


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# The context handed to each benchmark ---------------------------------------------------

class Context:
    """One run of `python -m bench`: settings, the throwaway instance, servers, results."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.client = choose_client(settings.client)
        self.workdir = Path(tempfile.mkdtemp(prefix="talentbase-bench-"))
        self.instance_dir = self.workdir / "instance"
        self.instance_dir.mkdir()
        self.database_url = settings.database_url or f"sqlite:///{self.instance_dir / 'bench.db'}"
        self.env = self._server_environment()
        self._servers: dict[str, Server] = {}
        self._ports_taken: set[int] = set()
        self._app = None
        self._migrated = False
        self._seeded: dict[str, Any] = {}
        self._wrk_script: Path | None = None
        self.goals: list[dict] = []

    # environment and database ---------------------------------------------------------
    def _server_environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("DATABASE_URL", "REDIS_URL", "MAIL_", "UPLOAD_DIR", "TEST_"))}
        env.update({
            "INSTANCE_DIR": str(self.instance_dir),
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.settings.redis_url or "",
            "RATELIMIT_ENABLED": "false",
            "ACCESS_LOG": "",
            "APP_ENV": "development",
            "SESSION_COOKIE_SECURE": "false",
        })
        return env

    @property
    def database_kind(self) -> str:
        return self.database_url.split(":", 1)[0].split("+", 1)[0]

    @property
    def app(self):
        """The app in this process, on the same database and settings as the served one: for
        seeding and for in-process benchmarks (with `ctx.in_app()`)."""
        if self._app is None:
            os.environ.update(self.env)
            for name in ("MAIL_URL", "MAIL_DIR", "UPLOAD_DIR"):
                os.environ.pop(name, None)
            from webapp import create_app

            self._app = create_app()
            self._migrate()
        return self._app

    def _migrate(self) -> None:
        if self._migrated:
            return
        from flask_migrate import upgrade

        with self._app.app_context():
            if self.settings.database_url:
                self._empty_postgres()
            upgrade(directory=str(ROOT / "migrations"))
        self._migrated = True

    def _empty_postgres(self) -> None:
        from webapp.extensions import db

        empty_postgres(db.engine)

    def prepare_database(self) -> None:
        """Create the in-process app, which migrates the bench database (once per run)."""
        _ = self.app

    @contextlib.contextmanager
    def in_app(self):
        """An app context of the in-process app (its session is removed afterwards)."""
        from webapp.extensions import db

        with self.app.app_context():
            try:
                yield self.app
            finally:
                db.session.remove()

    def seed(self, key: str, fn: Callable[[], Any]) -> Any:
        """Run `fn()` once per run inside an app context (e.g. to create 100,000 profiles) and
        return what it returned; later calls with the same key return the same value."""
        if key not in self._seeded:
            with self.in_app():
                from webapp.extensions import db

                self._seeded[key] = fn()
                db.session.commit()
        return self._seeded[key]

    def account(self, role: str = "talent") -> tuple[str, str]:
        """(email, password) of a verified account of this role, made once per run."""

        def create():
            from webapp.accounts import services as accounts

            email = f"bench-{role}@talentbase.example.com"
            accounts.create_account(email, BENCH_PASSWORD, f"Bench {role.title()}", role=role, verified=True)
            return email, BENCH_PASSWORD

        return self.seed(f"account:{role}", create)

    # servers -------------------------------------------------------------------------
    def _port(self) -> int:
        if self.settings.port:
            port = self.settings.port
            while port in self._ports_taken or not port_is_free(port):
                port += 1
        else:
            port = free_port()
        self._ports_taken.add(port)
        return port

    def start_server(self, name: str, wsgi: str, ready_path: str = "/", env: dict[str, str] | None = None) -> Server:
        """Start (once per name) a gunicorn server with gunicorn.conf.py and this run's
        environment plus `env` (e.g. {"WEB_CONCURRENCY": "2"}); it is stopped at the end."""
        if name not in self._servers:
            server = Server(name, wsgi, self._port(), {**self.env, **(env or {})}, self.workdir, ready_path)
            self._servers[name] = server.start()
        return self._servers[name]

    def app_server(self, name: str = "app", env: dict[str, str] | None = None) -> Server:
        """The real app (`wsgi:app`), on the migrated bench database."""
        self.prepare_database()  # first, so the server never races the migrations
        return self.start_server(name, "wsgi:app", ready_path="/healthz", env=env)

    def hello_server(self) -> Server:
        """A bare Flask app answering "Hello, World!" under the same gunicorn settings."""
        return self.start_server("hello", "bench.hello_app:app")

    def stop_servers(self) -> None:
        for server in self._servers.values():
            server.stop()
        self._servers.clear()

    def close(self) -> None:
        self.stop_servers()
        if self._app is not None:
            with self._app.app_context():
                from webapp.extensions import db

                db.session.remove()
                db.engine.dispose()
        if self.settings.keep:
            print(f"\nKept (instance folder and server logs): {self.workdir}")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # signing in ------------------------------------------------------------------------
    def session_cookie(self, server: Server, email: str, password: str, remember: bool = False) -> dict[str, str]:
        """Sign in through the real form (GET for the CSRF token, then POST) and return the
        cookies to send, e.g. {"talentbase_session": "..."}."""
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("User-Agent", USER_AGENT)]
        with opener.open(server.url("/auth/login"), timeout=30) as answer:
            page = answer.read().decode()
        match = re.search(r'name="csrf-token" content="([^"]+)"', page)
        if not match:
            raise RuntimeError("no CSRF token on the sign-in page")
        form = {"email": email, "password": password, "csrf_token": match.group(1)}
        if remember:
            form["remember"] = "y"
        with opener.open(server.url("/auth/login"), data=urllib.parse.urlencode(form).encode(), timeout=30) as answer:
            landed = answer.geturl()
        cookies = {cookie.name: cookie.value for cookie in jar}
        if urllib.parse.urlsplit(landed).path.startswith("/auth/login") or SESSION_COOKIE not in cookies:
            raise RuntimeError(f"signing in as {email} did not work (landed on {landed})")
        return cookies

    def bearer_token(self, server: Server, email: str, password: str) -> str:
        """An access token from POST /api/v1/auth/login (valid for ACCESS_TOKEN_TTL seconds)."""
        request = urllib.request.Request(server.url("/api/v1/auth/login"), method="POST",
                                         data=json.dumps({"email": email, "password": password}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)["access_token"]

    # load ----------------------------------------------------------------------------
    def _script(self) -> Path:
        if self._wrk_script is None:
            self._wrk_script = self.workdir / "report.lua"
            self._wrk_script.write_text(WRK_SCRIPT)
        return self._wrk_script

    def load(self, target: Target, concurrency: int | None = None, duration: float | None = None,
             warmup: float | None = None) -> LoadResult:
        """Check the URL answers as expected, warm it up, then measure it under load."""
        concurrency = concurrency or self.settings.concurrency
        duration = duration or self.settings.duration
        warmup = self.settings.warmup if warmup is None else warmup
        probe(target)
        if warmup > 0:
            self._generate(target, concurrency, warmup)
        result = self._generate(target, concurrency, duration)
        if result.errors:
            print(f"  ! {target.label}: {result.errors} of {result.requests} requests failed", flush=True)
        return result

    def _server_of(self, target: Target) -> Server | None:
        port = urllib.parse.urlsplit(target.url).port
        return next((server for server in self._servers.values() if server.port == port), None)

    def _generate(self, target: Target, concurrency: int, duration: float) -> LoadResult:
        server = self._server_of(target)
        cpu_before = server.cpu_seconds() if server else 0.0
        if self.client == "wrk":
            result = run_wrk(target, concurrency, duration, self._script())
        else:
            result = run_python(target, concurrency, duration)
        if server and result.requests:
            result.server_cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / result.requests
        return result

    def compare(self, targets: list[Target], concurrency: int | None = None, duration: float | None = None,
                rounds: int | None = None, title: str | None = None) -> dict[str, dict]:
        """Measure each target and "hello" with the same client and settings, print one table
        with the ratios, and return {label: figures} ("hello" included, ratios added).

        The duration is cut into rounds that take turns (hello, a, b; a, b, hello; ...), so that
        a neighbour's burst of CPU falls on all of them alike rather than on one."""
        concurrency = concurrency or self.settings.concurrency
        duration = duration or self.settings.duration
        rounds = max(1, rounds or self.settings.rounds)
        hello_target = Target(HELLO, self.hello_server().url("/"))
        everyone = [hello_target, *targets]
        for target in everyone:
            probe(target)
            if self.settings.warmup > 0:
                self._generate(target, concurrency, self.settings.warmup)
        measured: dict[str, list[LoadResult]] = {target.label: [] for target in everyone}
        for turn in range(rounds):
            for target in everyone[turn % len(everyone):] + everyone[:turn % len(everyone)]:
                measured[target.label].append(self._generate(target, concurrency, duration / rounds))
        merged = {label: merge_rounds(results) for label, results in measured.items()}
        hello = merged[HELLO]
        figures, rows = {}, []
        for label, result in merged.items():
            if result.errors:
                print(f"  ! {label}: {result.errors} of {result.requests} requests failed", flush=True)
            figures[label] = {**result.as_dict(), "rps_ratio": result.rps / hello.rps if hello.rps else None,
                              "p95_ratio": result.p95_ms / hello.p95_ms if hello.p95_ms else None,
                              "cpu_ratio": cpu_ratio(result, hello)}
            rows.append(self._row(result, hello))
        print(f"\n{title or 'Load'} ({self.client}, {concurrency} connections, {duration:g} s each in {rounds} "
              f"rounds, {self.database_kind})")
        print(format_table(["", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "rps vs hello", "p95 vs hello",
                            "server CPU ms/req", "CPU vs hello"], rows))
        return figures

    @staticmethod
    def _row(result: LoadResult, hello: LoadResult) -> list:
        rps_ratio = f"{result.rps / hello.rps:.0%}" if hello.rps else "-"
        p95_ratio = f"{result.p95_ms / hello.p95_ms:.1f}x" if hello.p95_ms else "-"
        cpu = cpu_ratio(result, hello)
        return [result.label, result.rps, result.p50_ms, result.p95_ms, result.p99_ms, result.errors,
                rps_ratio, p95_ratio, f"{result.server_cpu_ms:.3f}" if result.server_cpu_ms else "-",
                f"{cpu:.0%}" if cpu else "-"]

    # output --------------------------------------------------------------------------
    def table(self, title: str, columns: list[str], rows: Iterable[Iterable[Any]]) -> None:
        print(f"\n{title}\n{format_table(columns, rows)}", flush=True)

    def goal(self, text: str, met: bool, measured: str) -> dict:
        """Print a goal beside what was measured; the run's summary lists every goal."""
        entry = {"goal": text, "measured": measured, "met": bool(met)}
        self.goals.append(entry)
        print(f"  goal: {text}: {measured}  {'met' if met else 'NOT MET'}", flush=True)
        return entry

    def describe(self) -> dict:
        return {"client": self.client, "concurrency": self.settings.concurrency, "duration_s": self.settings.duration,
                "rounds": self.settings.rounds,
                "database": self.database_kind, "redis": bool(self.settings.redis_url), "cpus": os.cpu_count()}
