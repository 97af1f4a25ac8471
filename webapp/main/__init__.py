"""The landing page, the dashboard, language and theme switches, and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)
