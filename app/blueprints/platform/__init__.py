"""The platform operator's quality-assurance page."""

from flask import Blueprint

bp = Blueprint("platform", __name__, url_prefix="/platform")
