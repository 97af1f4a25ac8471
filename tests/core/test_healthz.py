"""GET /healthz: 200 with the state of the database and of Redis when configured."""

from __future__ import annotations

import pytest

from webapp.main import services


def test_healthy_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok" and body["status"] == "ok"


def test_redis_is_reported_as_not_configured_without_redis_url(app, client):
    app.config["REDIS_URL"] = None
    assert client.get("/healthz").get_json()["redis"] == "not configured"


def test_an_unreachable_redis_makes_it_503(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded" and body["redis"].startswith("error: ")
    assert body["database"] == "ok"


def test_a_broken_database_makes_it_503_with_the_reason(app, client, monkeypatch):
    from webapp.extensions import db

    def broken(*args, **kwargs):
        raise ConnectionError("database is gone")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "error: ConnectionError"


def test_it_needs_no_sign_in_and_is_json_even_for_browsers(client):
    response = client.get("/healthz", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "application/json"


@pytest.mark.redis
def test_a_configured_redis_is_reported_ok(app, client):
    body = client.get("/healthz").get_json()
    assert body["redis"] == "ok" and body["status"] == "ok"


def test_the_service_answers_without_a_request(app):
    with app.app_context():
        report, healthy = services.health()
    assert healthy and report["database"] == "ok"


def test_a_worker_still_building_its_indexes_is_healthy_and_says_so(app, client):
    import threading

    from webapp.ai.index import index_of

    release = threading.Event()
    index = index_of(app)
    index._thread = threading.Thread(target=release.wait, daemon=True)
    index._thread.start()
    try:
        body = client.get("/healthz")
        assert body.status_code == 200
        assert body.get_json()["warm_up"] == "building: ai_index"
    finally:
        release.set()
        index._thread.join()
    assert client.get("/healthz").get_json()["warm_up"] == "done"


def test_settling_freezes_what_is_alive_and_keeps_no_garbage():
    import gc
    import weakref

    from webapp.core import warmup

    class Cycle:
        pass

    kept, garbage = Cycle(), Cycle()
    garbage.me = garbage
    gone = weakref.ref(garbage)
    del garbage
    gc.disable()  # no automatic collection may do settle()'s work for it
    try:
        assert gone() is not None
        warmup.settle()
        assert gone() is None  # the cycle was collected, not frozen for good
        assert gc.get_freeze_count() > 0 and kept not in gc.get_objects()  # the living are out of sight
    finally:
        gc.enable()
        gc.unfreeze()
