"""The glossary page and the data-sources page."""

from flask import Blueprint

bp = Blueprint("glossary", __name__)
