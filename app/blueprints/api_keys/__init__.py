"""API keys for the verification API (organisation admins)."""

from flask import Blueprint

bp = Blueprint("api_keys", __name__, url_prefix="/organisation/api-keys")
