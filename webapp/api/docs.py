"""GET /api/openapi.json (generated) and /api/docs (the vendored Swagger UI)."""

from __future__ import annotations

from flask import jsonify, render_template

from webapp.api import docs_bp
from webapp.extensions import limiter

_cache: dict = {}


@docs_bp.route("/openapi.json")
@limiter.exempt
def openapi():
    from webapp.api.openapi import build_spec

    if "spec" not in _cache:
        _cache["spec"] = build_spec()
    return jsonify(_cache["spec"])


@docs_bp.route("/docs")
@limiter.exempt
def docs():
    return render_template("api/docs.html")
