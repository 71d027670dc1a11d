"""The public micro-credential hub: search, record pages and their OB documents."""

from flask import Blueprint

bp = Blueprint("hub", __name__, url_prefix="/hub")
