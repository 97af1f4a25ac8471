"""The dashboard, by role: each feature declares its cards (a partial and the service call
that feeds it); the dashboard shows those the signed-in person may see, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from webapp.core.permissions import can


@dataclass(frozen=True)
class Card:
    name: str
    template: str
    permission: str
    order: int
    context: Callable[[object], dict]
    wide: bool = False


CARDS: dict[str, Card] = {}


def dashboard_card(name: str, template: str, permission: str = "signed_in", order: int = 50, wide: bool = False):
    """Declare a card: the decorated function(user) -> dict is the partial's context."""

    def register(fn: Callable[[object], dict]) -> Callable[[object], dict]:
        CARDS.setdefault(name, Card(name, template, permission, order, fn, wide))
        return fn

    return register


def cards_for(user) -> list[tuple[Card, dict]]:
    shown = sorted((card for card in CARDS.values() if can(user, card.permission)), key=lambda card: card.order)
    return [(card, card.context(user)) for card in shown]
