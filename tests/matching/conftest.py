"""The matching engine is pure Python: its tests need no app and no database."""

from __future__ import annotations

import pytest

from tests.matching.helpers import TODAY
from webapp.matching import Engine, Place
from webapp.matching.evaluation import demo_places, demo_taxonomy


@pytest.fixture(autouse=True)
def _clean_state():
    """Overrides the suite's database clean-up: nothing here touches the app."""
    yield


@pytest.fixture(scope="session")
def taxonomy():
    skills, ids = demo_taxonomy()
    return skills, ids


@pytest.fixture(scope="session")
def ids(taxonomy):
    return taxonomy[1]


@pytest.fixture(scope="session")
def places() -> list[Place]:
    return demo_places()


@pytest.fixture
def make_engine(taxonomy, places):
    def make(profiles=()) -> Engine:
        engine = Engine(taxonomy[0], places, today=lambda: TODAY)
        engine.rebuild(profiles)
        return engine
    return make

