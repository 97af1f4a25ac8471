"""Directory pages: a talent's own profile, the staff search and profile pages, public pages."""

from __future__ import annotations

from webapp.directory import bp, profile_routes, search_views, services  # noqa: F401

# Publishing (QR codes, public pages) and duplicates live in their own modules on this blueprint.
from webapp.directory.duplicates import routes as _duplicates  # noqa: E402,F401
from webapp.directory.publishing import routes as _publishing  # noqa: E402,F401
