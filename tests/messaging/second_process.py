"""A second app process for the cross-process test: serves the test database on a free port
and prints the port. Run as `python -m tests.messaging.second_process <instance dir>`."""

from __future__ import annotations

import sys

from werkzeug.serving import make_server

from webapp import create_app
from webapp.config import TestConfig


def main() -> None:
    app = create_app(TestConfig, instance_path=sys.argv[1])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
