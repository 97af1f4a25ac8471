"""The admin console: users, invitations, the mail outbox (more in later issues)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
