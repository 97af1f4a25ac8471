"""The event bus: in one process, and across processes through Redis pub/sub."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

from webapp.messaging.realtime import Hub, LocalBus, RedisBus, channel_for

REDIS_URL = os.environ.get("TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    """Stands for one socket: remembers what the hub hands it."""

    def __init__(self, user_id: int):
        self.user_id = user_id
        self.events: list[dict] = []
        self.arrived = threading.Event()

    def push(self, event: dict) -> None:
        self.events.append(event)
        self.arrived.set()


def test_the_hub_hands_an_event_to_its_recipients_only():
    hub = Hub()
    alice, bob, carol = Recorder(1), Recorder(2), Recorder(3)
    alice_tab = Recorder(1)
    for socket in (alice, bob, carol, alice_tab):
        hub.add(socket)
    LocalBus(hub.dispatch).publish({"type": "typing", "recipients": [1, 2]})
    assert len(alice.events) == len(alice_tab.events) == len(bob.events) == 1
    assert carol.events == []
    hub.remove(alice_tab)
    hub.dispatch({"type": "typing", "recipients": [1]})
    assert len(alice.events) == 2 and len(alice_tab.events) == 1


def test_the_channel_keeps_redis_databases_apart():
    assert channel_for("redis://127.0.0.1:6379/3") != channel_for("redis://127.0.0.1:6379/4")
    assert channel_for("redis://127.0.0.1:6379") == "talentbase:0:events"


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="needs TEST_REDIS_URL")
def test_two_buses_on_redis_deliver_to_each_others_sockets_exactly_once():
    channel = f"talentbase:test:{uuid.uuid4().hex}"
    hub_a, hub_b = Hub(), Hub()
    bus_a = RedisBus(REDIS_URL, channel, hub_a.dispatch)
    bus_b = RedisBus(REDIS_URL, channel, hub_b.dispatch)
    here, there = Recorder(1), Recorder(1)
    hub_a.add(here)
    hub_b.add(there)
    for bus in (bus_a, bus_b):
        bus.start()
        assert bus.ready.wait(10)
    try:
        bus_a.publish({"type": "message.new", "recipients": [1], "n": 1})
        assert there.arrived.wait(10) and here.arrived.wait(10)
        bus_b.publish({"type": "message.new", "recipients": [2], "n": 2})  # nobody holds user 2
        bus_b.publish({"type": "message.new", "recipients": [1], "n": 3})
        for socket in (here, there):
            deadline = threading.Event()
            for _ in range(100):
                if len(socket.events) >= 2:
                    break
                deadline.wait(0.1)
            assert [e["n"] for e in socket.events] == [1, 3]
    finally:
        bus_a.close()
        bus_b.close()


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="needs TEST_REDIS_URL")
def test_a_message_sent_in_this_process_reaches_a_socket_held_by_another(app, instance_dir, people, start, say):
    from websockets.sync.client import connect

    from tests.conftest import csrf_token

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    other = subprocess.Popen([sys.executable, "-m", "tests.messaging.second_process", str(instance_dir)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(other.stdout.readline())
        cid = start(people["consultant"], [people["talent"]])
        browser = app.test_client()
        browser.post("/auth/login", data={"email": people["talent"].email, "password": "Secret-pass-1",
                                          "csrf_token": csrf_token(browser)})
        cookie = browser.get_cookie("talentbase_session").value
        ws = connect(f"ws://127.0.0.1:{port}/ws?conversation={cid}", origin=f"http://127.0.0.1:{port}",
                     additional_headers={"Cookie": f"talentbase_session={cookie}"}, open_timeout=10)
        try:
            assert json.loads(ws.recv(timeout=10))["event"] == "resync"
            say(people["consultant"], cid, "across processes")  # published by this process
            frame = json.loads(ws.recv(timeout=10))
            assert frame["event"] == "message.new"
            assert "across processes" in frame["content"]
        finally:
            ws.close()
    finally:
        other.terminate()
        other.wait(10)
