"""The console watch of conftest.py catches what it should, so a clean run means something."""

from __future__ import annotations

from tests.browser.conftest import ConsoleWatch, new_context


def test_a_csp_violation_and_a_script_error_are_caught(browser, live_server):
    watch = ConsoleWatch()
    context = new_context(browser, watch)
    try:
        page = context.new_page()
        page.goto(live_server("/auth/login"))
        assert watch.unexpected() == []
        # An inline style is refused by the Content-Security-Policy: the browser says so.
        page.evaluate("document.body.setAttribute('style', 'color: red')")
        page.evaluate("setTimeout(() => { throw new Error('boom') }, 0)")
        page.wait_for_timeout(200)
    finally:
        context.close()
    problems = watch.unexpected()
    assert any("Content Security Policy" in problem for problem in problems), problems
    assert any("boom" in problem for problem in problems), problems
