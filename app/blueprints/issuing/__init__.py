"""Provider coordinators award badges: one at a time or from a CSV, revoke, re-issue, rotate keys."""

from flask import Blueprint

bp = Blueprint("issuing", __name__, url_prefix="/issuing")
