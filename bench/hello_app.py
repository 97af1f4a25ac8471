"""The yardstick: a bare Flask app, served by `make bench` under the same gunicorn settings as
the real one, so a page's figures can be read as a share of what the stack itself allows."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
