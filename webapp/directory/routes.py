"""Directory pages: a talent's own profile, the staff search and profile pages, public pages."""

from __future__ import annotations

from webapp.directory import bp, profile_routes, services  # noqa: F401
