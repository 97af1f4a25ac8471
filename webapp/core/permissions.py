"""Authorization in one place: a named policy per action, used by pages, fragments and API.

Features declare their rules with @policy("action"); views call require("action", obj)
or decorate with @permission_required("action"). Pages and API share the answer: an
anonymous visitor gets "sign in" (401, or a redirect to the sign-in page), a signed-in
person without the right gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from flask import g
from flask_login import current_user

from webapp.core.errors import Forbidden, Unauthorized


class Role(StrEnum):
    TALENT = "talent"
    RECRUITER = "recruiter"
    CONSULTANT = "consultant"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.RECRUITER, Role.CONSULTANT, Role.ADMIN})

Rule = Callable[[Any, Any], bool]
_POLICIES: dict[str, Rule] = {}


def policy(action: str) -> Callable[[Rule], Rule]:
    def register(rule: Rule) -> Rule:
        if action in _POLICIES:
            raise ValueError(f"policy {action!r} declared twice")
        _POLICIES[action] = rule
        return rule

    return register


def actor():
    """The person behind this request: the API's principal, else the signed-in user."""
    user = g.get("api_user")
    if user is not None:
        return user
    if current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def is_active_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def has_role(user, *roles: str) -> bool:
    return is_active_user(user) and user.role in roles


def can(user, action: str, obj: Any = None) -> bool:
    rule = _POLICIES[action]
    if not is_active_user(user):
        return bool(getattr(rule, "allows_anonymous", False) and rule(None, obj))
    return bool(rule(user, obj))


def require(action: str, obj: Any = None, user: Any = None) -> None:
    user = user if user is not None else actor()
    if can(user, action, obj):
        return
    if not is_active_user(user):
        raise Unauthorized()
    raise Forbidden()


def permission_required(action: str):
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require(action)
            return view(*args, **kwargs)

        return wrapped

    return decorate


# Rules that belong to no single feature ---------------------------------------------------

@policy("signed_in")
def _signed_in(user, _obj) -> bool:
    return True


@policy("staff")
def _staff(user, _obj) -> bool:
    return user.role in STAFF_ROLES


@policy("admin")
def _admin(user, _obj) -> bool:
    return user.role == Role.ADMIN
