"""Issue 6's speed: live messaging under load, through the real app under gunicorn.

1,000 websocket clients (one per person) sit in conversations of 2 to 10 people; 200
messages per second are sent through the API (POST /api/v1/conversations/<id>/messages:
stored, then pushed). Every participant's socket must get each message of its conversation
exactly once. Measured: delivery latency (send to receipt, p50/p95/p99/max), lost and
duplicated deliveries, and the memory an idle socket costs the server (RSS growth of the
worker / sockets). Then the same with two app processes (two gunicorn servers, as two hosts)
joined by Redis pub/sub, the clients and the senders split between them.

Run alone: `python -m bench.messaging_ws`, or through `make bench`. Settings (environment):
BENCH_WS_CLIENTS (1000), BENCH_WS_RATE (200 messages/s), BENCH_WS_SECONDS (10),
BENCH_DATABASE_URL (PostgreSQL instead of a throwaway SQLite file), BENCH_REDIS_URL
(default redis://127.0.0.1:6379/4; the two-process run is skipped when Redis is not there),
BENCH_PORT (first port, 5200). Figures taken on a busy shared machine are indicative only.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import multiprocessing
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESCRIPTION = ("live messaging: 1,000 websocket clients in conversations of 2-10, 200 messages/s through the API; "
               "delivery p99 < 50 ms, nothing lost or duplicated, memory per idle socket; one process, then two "
               "joined by Redis")
GOAL_P99_MS = 50.0
MARKER = re.compile(r"bench-(\d+)-(\d+\.\d+)")
SECRET = "bench-secret-" + secrets.token_hex(8)
PASSWORD_HASH_OF = "Bench-pass-2024"
USER_AGENT = "talentbase-bench/1"  # every client names the same browser (see build_world)


@dataclass
class Settings:
    clients: int = 1000
    rate: float = 200.0
    seconds: float = 10.0
    database_url: str | None = None
    redis_url: str | None = "redis://127.0.0.1:6379/4"
    port: int = 5200
    senders: int = 24

    @classmethod
    def from_environment(cls, ctx=None) -> Settings:
        env = os.environ
        base = getattr(ctx, "settings", None)
        return cls(
            clients=int(env.get("BENCH_WS_CLIENTS", cls.clients)),
            rate=float(env.get("BENCH_WS_RATE", cls.rate)),
            seconds=float(env.get("BENCH_WS_SECONDS", cls.seconds)),
            database_url=env.get("BENCH_DATABASE_URL") or getattr(base, "database_url", None),
            redis_url=env.get("BENCH_REDIS_URL") or getattr(base, "redis_url", None) or cls.redis_url,
            port=int(env.get("BENCH_PORT") or cls.port),
        )


# The data: people, conversations, session cookies --------------------------------------------

@dataclass
class World:
    folder: Path
    env: dict
    cookies: list[str]  # per client
    members: dict[int, list[int]]  # conversation id -> client indexes
    conversation_of: list[int]  # client index -> conversation id


def _server_env(folder: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "DATABASE_URL"))}
    env.update({
        "SECRET_KEY": SECRET, "DATABASE_URL": database_url, "MAIL_DIR": str(folder / "mail"),
        "UPLOAD_DIR": str(folder / "uploads"), "RATELIMIT_ENABLED": "false", "ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING", "APP_ENV": "development", "HOST": "127.0.0.1",
        "WS_MESSAGES_PER_MINUTE": "100000",
    })
    return env


def build_world(settings: Settings) -> World:
    """Migrate a fresh database and add the people and their conversations in bulk."""
    folder = Path(tempfile.mkdtemp(prefix="talentbase-bench-ws-"))
    database_url = settings.database_url or f"sqlite:///{folder / 'bench.db'}"
    env = _server_env(folder, database_url)
    script = f"""
import json, random, sys
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash
from flask_migrate import upgrade
from webapp import create_app
from webapp.extensions import db
from webapp.accounts.models import User
from webapp.messaging.models import Conversation, Participant

app = create_app()
with app.app_context():
    if db.engine.dialect.name == "postgresql":
        from bench.harness import empty_postgres

        empty_postgres(db.engine)  # a run before this one left its people there
    upgrade()
    count = {settings.clients}
    password = generate_password_hash({PASSWORD_HASH_OF!r})
    tokens = [f"bench{{n:05d}}tok" for n in range(count)]
    db.session.execute(insert(User), [dict(email=f"bench{{n}}@example.com", password_hash=password,
        full_name=f"Bench Person {{n}}", role="consultant" if n % 10 == 0 else "talent", status="active",
        locale="en", theme="light", notifications_enabled=True, email_notifications=False,
        subscription_tier="free", session_token=tokens[n]) for n in range(count)])
    db.session.commit()
    ids = list(db.session.scalars(select(User.id).where(User.email.like("bench%@example.com")).order_by(User.id)))
    rng = random.Random(6)
    members, conversation_of, start = {{}}, [0] * count, 0
    while start < count:
        size = min(rng.randint(2, 10), count - start)
        if count - start - size == 1:
            size += 1
        people = list(range(start, start + size))
        conversation = Conversation(kind="group" if size > 2 else "direct", subject=None, created_by_id=ids[start])
        for index in people:
            conversation.participants.append(Participant(user_id=ids[index], role="member"))
        db.session.add(conversation)
        db.session.flush()
        members[conversation.id] = people
        for index in people:
            conversation_of[index] = conversation.id
        start += size
    db.session.commit()
    serializer = app.session_interface.get_signing_serializer(app)
    # The session's browser mark (flask-login's session protection) for the clients' User-Agent:
    # without it, each request finds another browser and sends the cookie back, re-signed.
    from flask_login.utils import _create_identifier
    with app.test_request_context(headers={{"User-Agent": {USER_AGENT!r}}}, environ_base={{"REMOTE_ADDR": "127.0.0.1"}}):
        browser = _create_identifier()
    cookies = [serializer.dumps({{"_user_id": f"{{ids[n]}}:{{tokens[n]}}", "_fresh": True, "_id": browser}})
               for n in range(count)]
    json.dump({{"cookies": cookies, "members": members, "conversation_of": conversation_of}}, sys.stdout)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        raise RuntimeError("seeding failed:\n" + done.stderr[-3000:])
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return World(folder, env, data["cookies"], {int(k): v for k, v in data["members"].items()},
                 data["conversation_of"])


# Servers -------------------------------------------------------------------------------------

@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def rss_kib(self) -> int:
        total = 0
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            total += int(match.group(1)) if match else 0
        return total

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far."""
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def start_server(world: World, port: int, threads: int, redis_url: str | None) -> Server:
    env = dict(world.env)
    env.update({"PORT": str(port), "GUNICORN_THREADS": str(threads), "WEB_CONCURRENCY": "1",
                # gthread refuses connections past worker_connections (1000 by default).
                "GUNICORN_CMD_ARGS": f"--worker-connections {threads * 2 + 100} --backlog 4096"})
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["REALTIME_CHANNEL"] = f"talentbase:bench:{world.folder.name}"  # both servers, one channel
    log = world.folder / f"gunicorn-{port}.log"
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                               env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(port, process, log)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://{server.host}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    server.stop()
    raise RuntimeError(f"gunicorn on port {port} did not start:\n{log.read_text()[-3000:]}")


# Clients ---------------------------------------------------------------------------------------

@dataclass
class Received:
    latencies: list[float] = field(default_factory=list)
    deliveries: Counter = field(default_factory=Counter)  # (client, message) -> times
    other_frames: int = 0
    errors: list[str] = field(default_factory=list)


async def _client(index: int, host: str, cookie: str, conversation_id: int, received: Received,
                  ready: asyncio.Event, opened: list, stop: asyncio.Event):
    import websockets

    uri = f"ws://{host}/ws?conversation={conversation_id}"
    try:
        async with websockets.connect(uri, origin=f"http://{host}", additional_headers={"Cookie": f"talentbase_session={cookie}"},
                                      user_agent_header=USER_AGENT,
                                      open_timeout=60, ping_interval=None, max_size=2**20) as ws:
            opened.append(index)
            ready.set()
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
                except TimeoutError:
                    continue
                now = time.time()
                frame = json.loads(raw)
                if frame.get("event") != "message.new":
                    received.other_frames += 1
                    continue
                match = MARKER.search(frame.get("content", ""))
                if not match:
                    continue
                key = int(match.group(1))
                received.deliveries[(index, key)] += 1
                if received.deliveries[(index, key)] == 1:
                    received.latencies.append(now - float(match.group(2)))
    except Exception as exc:  # a client that fails is counted: its messages are lost
        received.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        ready.set()


# Senders (another process, so that the 1,000 sockets do not slow the clock of the sends) ------

def _send_all(hosts: list[str], plan: list[tuple[int, int, str]], rate: float, threads: int, out) -> None:
    """Send plan[i] = (key, conversation id, cookie) at `rate` per second from `threads` threads."""
    start = time.time() + 0.5
    results: list[tuple[int, int]] = []
    lock = threading.Lock()
    position = iter(range(len(plan)))

    def work(slot: int):
        connections: dict[str, http.client.HTTPConnection] = {}
        while True:
            with lock:
                i = next(position, None)
            if i is None:
                return
            key, conversation_id, cookie = plan[i]
            host = hosts[conversation_id % len(hosts)]
            delay = start + i / rate - time.time()
            if delay > 0:
                time.sleep(delay)
            sent_at = time.time()
            body = json.dumps({"text": f"bench-{key}-{sent_at:.6f}"})
            status = None
            for _attempt in (1, 2):
                try:
                    connection = connections.get(host) or http.client.HTTPConnection(host, timeout=30)
                    connections[host] = connection
                    connection.request("POST", f"/api/v1/conversations/{conversation_id}/messages", body=body,
                                       headers={"Content-Type": "application/json", "User-Agent": USER_AGENT,
                                                "Cookie": f"talentbase_session={cookie}"})
                    answer = connection.getresponse()
                    answer.read()
                    status = answer.status
                    break
                except BrokenPipeError as exc:
                    # The server had closed this kept-alive connection: the request never left, so a
                    # fresh connection may send it again (once).
                    connections.pop(host, None)
                    status = type(exc).__name__
                except (OSError, http.client.HTTPException) as exc:
                    connections.pop(host, None)
                    status = type(exc).__name__
                    break
            with lock:
                results.append((key, status, time.time() - sent_at))

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    out.put((results, time.time() - start))


# One run ---------------------------------------------------------------------------------------

def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def _run_clients(world: World, servers: list[Server], settings: Settings, plan, before_rss: int):
    received = Received()
    stop = asyncio.Event()
    opened: list[int] = []
    tasks = []
    batch = 50
    for start in range(0, settings.clients, batch):
        readies = []
        for index in range(start, min(start + batch, settings.clients)):
            server = servers[world.conversation_of[index] % len(servers)]
            ready = asyncio.Event()
            readies.append(ready)
            tasks.append(asyncio.create_task(_client(index, server.host, world.cookies[index],
                                                     world.conversation_of[index], received, ready, opened, stop)))
        await asyncio.gather(*(r.wait() for r in readies))
    await asyncio.sleep(1)  # idle: every socket open, nothing sent yet
    idle_cpu = sum(s.cpu_seconds() for s in servers)
    await asyncio.sleep(2)
    idle_cpu = (sum(s.cpu_seconds() for s in servers) - idle_cpu) / 2  # CPU seconds per second, idle
    idle_rss = sum(s.rss_kib() for s in servers)
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    cpu_before = sum(s.cpu_seconds() for s in servers)
    sender = context.Process(target=_send_all, args=([s.host for s in servers], plan, settings.rate,
                                                     settings.senders, out))
    sender.start()
    while sender.is_alive() and out.empty():
        await asyncio.sleep(0.2)
    results, elapsed = out.get()
    sender.join()
    await asyncio.sleep(3)  # the last deliveries
    server_cpu = sum(s.cpu_seconds() for s in servers) - cpu_before
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return received, results, elapsed, len(opened), idle_rss, server_cpu, idle_cpu


def run(world: World, settings: Settings, processes: int, redis_url: str | None) -> dict:
    threads = settings.clients // processes + 64
    servers = [start_server(world, settings.port + n, threads, redis_url) for n in range(processes)]
    try:
        for server in servers:  # warm: one page, so the baseline has the app loaded
            urllib.request.urlopen(f"http://{server.host}/auth/login", timeout=10).read()
        before_rss = sum(s.rss_kib() for s in servers)
        rng = random.Random(processes)
        conversations = list(world.members)
        count = int(settings.rate * settings.seconds)
        plan = []
        for key in range(count):
            conversation_id = rng.choice(conversations)
            sender = rng.choice(world.members[conversation_id])
            plan.append((key, conversation_id, world.cookies[sender]))
        received, results, elapsed, opened, idle_rss, server_cpu, idle_cpu = asyncio.run(
            _run_clients(world, servers, settings, plan, before_rss))
    finally:
        for server in servers:
            server.stop()
    server_errors = []  # the servers' own words about failed sends (the folder goes at the end)
    for server in servers:
        with contextlib.suppress(OSError):
            server_errors += [line.strip() for line in server.log.read_text(errors="replace").splitlines()
                              if "Error" in line or "error" in line][-5:]
    sent_ok = {key for key, status, _took in results if status == 201}
    api_ms = [1000 * took for _key, status, took in results if status == 201]
    conversation_of_key = {key: cid for key, cid, _cookie in plan}
    expected = sum(len(world.members[conversation_of_key[key]]) for key in sent_ok)
    delivered = sum(1 for (_client, key), n in received.deliveries.items() if key in sent_ok)
    duplicated = sum(n - 1 for n in received.deliveries.values() if n > 1)
    latencies_ms = [1000 * v for v in received.latencies]
    return {
        "processes": processes,
        "bus": "redis" if redis_url else "in-process",
        "clients": settings.clients,
        "sockets_open": opened,
        "conversations": len(world.members),
        "messages_sent": len(sent_ok),
        "send_failures": len(results) - len(sent_ok),
        "send_failure_reasons": dict(Counter(str(status) for _key, status, _took in results if status != 201)),
        "send_rate_achieved": round(len(results) / elapsed, 1) if elapsed else 0,
        "deliveries_expected": expected,
        "deliveries": delivered,
        "lost": expected - delivered,
        "duplicated": duplicated,
        "api_ms_p50": round(_percentile(api_ms, 50), 1),
        "api_ms_p99": round(_percentile(api_ms, 99), 1),
        "latency_ms_p50": round(_percentile(latencies_ms, 50), 1),
        "latency_ms_p95": round(_percentile(latencies_ms, 95), 1),
        "latency_ms_p99": round(_percentile(latencies_ms, 99), 1),
        "latency_ms_max": round(max(latencies_ms), 1) if latencies_ms else None,
        "server_rss_mib_before": round(before_rss / 1024, 1),
        "server_rss_mib_idle": round(idle_rss / 1024, 1),
        "kib_per_idle_socket": round((idle_rss - before_rss) / max(1, opened), 1),
        # Server CPU over the sending (and the last deliveries), per message sent and delivered.
        "server_cpu_ms_per_message": round(1000 * server_cpu / max(1, len(sent_ok)), 2),
        "server_cpu_idle_ms_per_s": round(1000 * idle_cpu, 1),  # the open sockets' own cost
        "client_errors": received.errors[:5],
        "server_errors": server_errors[:10],
    }


def _redis_available(url: str | None) -> bool:
    if not url:
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except Exception:
        return False


def _print(figures: dict) -> None:
    rows = [
        ("sockets open", "sockets_open"), ("messages sent (201)", "messages_sent"),
        ("send failures", "send_failures"), ("send rate achieved /s", "send_rate_achieved"),
        ("deliveries expected", "deliveries_expected"), ("delivered", "deliveries"), ("lost", "lost"),
        ("duplicated", "duplicated"), ("POST answered p50 ms", "api_ms_p50"), ("POST answered p99 ms", "api_ms_p99"),
        ("latency p50 ms", "latency_ms_p50"), ("latency p95 ms", "latency_ms_p95"),
        ("latency p99 ms", "latency_ms_p99"), ("latency max ms", "latency_ms_max"),
        ("server RSS before MiB", "server_rss_mib_before"), ("server RSS idle MiB", "server_rss_mib_idle"),
        ("KiB per idle socket", "kib_per_idle_socket"), ("server CPU ms / message", "server_cpu_ms_per_message"),
        ("server CPU idle ms / s", "server_cpu_idle_ms_per_s"),
    ]
    runs = list(figures.values())
    print("\nLive messaging (" + ", ".join(f"{r['processes']} process(es), {r['bus']} bus" for r in runs) + ")")
    for label, key in rows:
        print(f"  {label:<24}" + "".join(f"{str(r.get(key)):>16}" for r in runs))
    for r in runs:
        p99 = r["latency_ms_p99"]
        ok = r["lost"] == 0 and r["duplicated"] == 0 and p99 == p99 and p99 < GOAL_P99_MS
        print(f"  goal ({r['processes']} process(es)): p99 < {GOAL_P99_MS:.0f} ms, none lost or duplicated: "
              f"{'met' if ok else 'NOT met'}")
        if r["send_failure_reasons"]:
            print("  send failures by reason:", r["send_failure_reasons"])
        if r["client_errors"]:
            print("  client errors:", r["client_errors"])
        if r["server_errors"]:
            print("  server errors:", r["server_errors"])


def main(ctx=None) -> dict:
    settings = Settings.from_environment(ctx)
    world = build_world(settings)
    figures = {"one_process": run(world, settings, 1, None)}
    if _redis_available(settings.redis_url):
        figures["two_processes_redis"] = run(world, settings, 2, settings.redis_url)
    else:
        print(f"  (two processes joined by Redis skipped: no Redis at {settings.redis_url})")
    _print(figures)
    import shutil

    if not os.environ.get("BENCH_KEEP"):  # BENCH_KEEP=1 leaves the world folder: database, server logs
        shutil.rmtree(world.folder, ignore_errors=True)
    return figures


if __name__ == "__main__":
    results = main()
    print(json.dumps(results, indent=2))
