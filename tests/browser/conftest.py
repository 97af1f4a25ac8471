"""Browser tests: the session's test app served on a free port, Debian's Chromium driven by
Playwright, a fresh context and page per test, and a screenshot when a test fails.

Every test here is marked `browser` and takes `expect` from this module (not from playwright), so
that a missing package skips the tests instead of failing their import. Without /usr/bin/chromium or the `playwright` package they
are skipped, and the run ends with a line that says so. `playwright install` is never needed:
the tests use the system's Chromium.

Each page a test opens is watched: a console error, an uncaught exception or a CSP violation
fails the test, unless the test said it expects it (`console.expect("status of 422")`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent.parent / "test-results" / "browser"
TIMEOUT_MS = 10_000

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the dev requirements are not installed: every test here is skipped
    expect = sync_playwright = None


def why_skipped() -> str | None:
    if sync_playwright is None:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


SKIP_REASON = why_skipped()
_skipped: list[str] = []


def _is_browser_test(item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not _is_browser_test(item):
            continue
        item.add_marker(pytest.mark.browser)
        if SKIP_REASON:
            item.add_marker(pytest.mark.skip(reason=f"browser test skipped: {SKIP_REASON}"))
            _skipped.append(item.nodeid)


def pytest_unconfigure(config):
    # The very last line of the run, under the counts, so nobody misses it.
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if _skipped and reporter is not None:
        reporter.write_sep("=", f"BROWSER TESTS SKIPPED: {len(_skipped)} did not run, {SKIP_REASON}",
                           yellow=True, bold=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test, so the page fixture knows whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# The server -------------------------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class LiveServer:
    """The test app served by werkzeug's threaded server (which flask-sock also serves
    websockets on), in a background thread."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(10)
        self._server.server_close()

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


# The browser ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ConsoleWatch:
    """Console errors, uncaught exceptions and CSP violations of every page of a context."""

    def __init__(self):
        self.problems: list[str] = []
        self.expected: list[re.Pattern] = []

    def attach(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.problems.append(
            f"console error on {page.url}: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception on {page.url}: {error}"))

    def expect(self, pattern: str) -> None:
        """Accept console errors matching `pattern` (a regex), e.g. an htmx 422 answer."""
        self.expected.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [p for p in self.problems if not any(pattern.search(p) for pattern in self.expected)]


@pytest.fixture
def console():
    return ConsoleWatch()


def new_context(browser, console: ConsoleWatch, width: int = 1280, height: int = 900, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("page", console.attach)
    return context


@pytest.fixture
def context(browser, console, request):
    marker = request.node.get_closest_marker("viewport")
    width, height = marker.args if marker else (1280, 900)
    ctx = new_context(browser, console, width, height)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, console, request):
    """A fresh page; after the test, a screenshot if it failed, and a check of its console."""
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        for index, open_page in enumerate(context.pages):
            with contextlib.suppress(Exception):  # a closed or crashed page: nothing to show
                open_page.screenshot(path=str(SCREENSHOTS / f"{name}-{index}.png"), full_page=True)
        return
    problems = console.unexpected()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


# Helpers ----------------------------------------------------------------------------------

@pytest.fixture
def sign_in(live_server):
    """Sign in through the real form, as a person would; returns the page on the dashboard."""

    def run(page, email: str, password: str = "Secret-pass-1", remember: bool = False):
        page.goto(live_server("/auth/login"))
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        if remember:
            page.get_by_label("Remember me on this device").check()
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server("/dashboard"))
        return page

    return run

