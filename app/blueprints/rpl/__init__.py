"""Recognition of prior learning: learners ask, providers' coordinators decide per module."""

from flask import Blueprint

bp = Blueprint("rpl", __name__, url_prefix="/rpl")
