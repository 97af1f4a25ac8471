"""Organisations: companies, production companies and partner agencies, and their members."""
