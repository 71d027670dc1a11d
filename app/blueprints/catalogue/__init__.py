"""A provider's own catalogue: create, edit, publish, retire, import and export."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
