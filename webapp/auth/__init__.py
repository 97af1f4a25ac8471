"""Signing in and out, registration, email verification, password reset, invitations."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")
