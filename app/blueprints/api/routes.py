"""The JSON API for integrations. Endpoints live under /api/v1; errors are JSON."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from app.extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)  # API clients authenticate with API keys, not cookies


@bp.get("/v1/health")
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify({"status": "ok"})
from app.blueprints.api import verifications  # noqa: E402,F401  (POST /api/v1/verifications)
