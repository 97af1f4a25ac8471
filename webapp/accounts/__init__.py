"""My account: profile, preferences, security, API keys, my data."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")
