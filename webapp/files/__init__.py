"""Stored files, served only to those allowed to see them."""

from flask import Blueprint

bp = Blueprint("files", __name__, url_prefix="/files")
