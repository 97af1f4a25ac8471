"""Directory pages: a talent's own profile, the staff search and profile pages, public pages."""

from __future__ import annotations

from webapp.directory import (  # noqa: F401
    bp,
    search_views,  # noqa: F401  (the staff search: /directory)
    services,
)
