"""Insights: the statistics dashboards (/stats) and the exports of lists to Excel and CSV
(/exports), for recruiters and administrators."""

from flask import Blueprint

bp = Blueprint("insights", __name__)
