"""AI casting and AI search: the matching engine (webapp/matching) wired to the database.

`index.py` keeps one engine per process in step with the database through the change feed
(`models.SearchChange`, written by session events in `feed.py`); `services.py` runs the
searches for pages, fragments and the API alike; `explain.py` turns the engine's structured
reasons into text in the viewer's language; `extract.py` reads the text of an uploaded
job description (PDF, DOCX or plain text).
"""

from flask import Blueprint

bp = Blueprint("ai", __name__)
