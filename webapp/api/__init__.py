"""/api/v1: the integrations' API. It calls the same services as the pages.

Resources come back as themselves, lists as {"items", "total", "page", "per_page", "pages"},
errors as {"error": {"code", "message", "fields"}}. The OpenAPI document is generated from
the pydantic schemas that validate the requests (webapp/api/openapi.py).
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
docs_bp = Blueprint("api_docs", __name__, url_prefix="/api")

from webapp.api import (  # noqa: E402,F401
    admin,
    ai,
    auth,
    cinema,
    directory,
    docs,
    exports,
    files,
    messaging,
    profiles,
    skills,
    stats,
    users,
)
from webapp.api.aliases import register_aliases  # noqa: E402
from webapp.api.internal import internal_bp  # noqa: E402,F401
from webapp.core.ratelimit import api_limits  # noqa: E402

register_aliases(bp)
api_limits()(bp)
