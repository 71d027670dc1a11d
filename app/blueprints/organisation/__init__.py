"""The organisation blueprint."""

from flask import Blueprint

bp = Blueprint("organisation", __name__, url_prefix="/organisation")
