"""The CINEMA casting module: cinema profiles, productions, casting projects and their roles,
assignments through the casting stages, attribute search and the AI casting."""

from flask import Blueprint

bp = Blueprint("casting", __name__, url_prefix="/cinema")
# The managed lists (eye colours, production types ...) are run from the admin console.
admin_bp = Blueprint("casting_admin", __name__, url_prefix="/admin/lists")
