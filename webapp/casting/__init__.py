"""The CINEMA casting module: cinema profiles, productions, casting projects and their roles,
assignments through the casting stages, attribute search and the AI casting."""

from flask import Blueprint

bp = Blueprint("casting", __name__, url_prefix="/cinema")
