"""Gunicorn settings shared by `make run` and `make bench`.

Threads, not async workers: a websocket holds its thread (flask-sock), so a process can hold
as many sockets as it has threads. Without REDIS_URL, live events stay inside one process,
so one worker is the default; set WEB_CONCURRENCY above 1 together with REDIS_URL.
"""

import os
from pathlib import Path

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "talentbase"


def when_ready(server):
    host, port = bind.rsplit(":", 1)
    lines = ["", f"  Talentbase is running on http://{host}:{port}", ""]
    logins = Path(os.environ.get("INSTANCE_DIR", "instance")) / "demo-logins.txt"
    if logins.exists():
        lines.append("  Demo logins:")
        lines += ["    " + line for line in logins.read_text().splitlines() if line.strip()]
        lines.append("")
    print("\n".join(lines), flush=True)


def post_worker_init(worker):
    """Start building this worker's AI index (webapp/ai/index.py) and directory snapshot
    (webapp/directory/search_snapshot.py) now, in the background."""
    from webapp.ai.index import start_warmup
    from webapp.directory.search_snapshot import start_warmup as start_directory_snapshot

    start_warmup(worker.wsgi)
    start_directory_snapshot(worker.wsgi)
