"""Job roles and skills gaps (employers)."""

from flask import Blueprint

bp = Blueprint("job_roles", __name__, url_prefix="/roles")
