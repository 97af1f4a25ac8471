"""Pieces every feature uses: database types, HTMX helpers, permissions, errors, security."""
