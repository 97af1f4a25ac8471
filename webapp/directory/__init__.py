"""The talent directory: one profile per person (with or without an account), its unique
code, skills, languages, photo and CV, QR code and public page, and the staff search."""

from flask import Blueprint

bp = Blueprint("directory", __name__)
