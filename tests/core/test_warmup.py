"""What a worker does about the garbage collector: long-lived objects are frozen, garbage is not."""

from __future__ import annotations

import gc
import weakref

import pytest

from webapp.core import warmup


class Cycle:
    pass


def _cycle() -> weakref.ref:
    garbage = Cycle()
    garbage.me = garbage
    return weakref.ref(garbage)


@pytest.fixture
def no_automatic_collection():
    """No automatic collection may do the freezer's work for it; the frozen go back after."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()
        gc.collect()


def test_every_step_new_sockets_what_is_alive_is_frozen(no_automatic_collection):
    freezer = warmup.LongLived(step=3, settle_seconds=3600)
    kept = Cycle()
    freezer.made_one()
    freezer.made_one()
    assert kept in gc.get_objects()  # not yet: two of three
    freezer.made_one()
    assert gc.get_freeze_count() > 0
    assert kept not in gc.get_objects()  # out of sight of every later collection


def test_fresh_garbage_is_collected_not_frozen(no_automatic_collection):
    freezer = warmup.LongLived(step=1, settle_seconds=3600)
    gone = _cycle()
    assert gone() is not None
    freezer.made_one()
    assert gone() is None


def test_garbage_frozen_with_the_living_is_freed_by_the_next_settle(no_automatic_collection, monkeypatch):
    freezer = warmup.LongLived(step=2, settle_seconds=600)
    garbage = Cycle()
    garbage.me = garbage
    old = weakref.ref(garbage)
    gc.collect(1)  # alive, so now old: a young collection no longer looks at it
    del garbage  # garbage from now on, among the old
    freezer.made_one()
    freezer.made_one()  # frozen, with the old cycle
    assert old() is not None
    freezer.made_one()  # too soon to settle
    assert old() is not None
    clock = warmup.time.monotonic()
    monkeypatch.setattr(warmup.time, "monotonic", lambda: clock + 601)
    freezer.made_one()
    assert old() is None
    assert freezer.frozen_since_settle is False
