"""The JSON API for integrations. Endpoints live under /api/v1; errors are JSON."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import text

from app.blueprints.api import bp
from app.extensions import csrf, db

csrf.exempt(bp)  # API clients authenticate with API keys, not cookies


@bp.get("/v1/health")
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify({"status": "ok"})
