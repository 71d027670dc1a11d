"""GET /api/v1/apprenticeships[/<id>]: partners' HR systems read their apprentices' progress.

Authenticated with the organisation's API key; an employer sees its own apprentices, a provider
those on its programmes, nobody anything else. The response is documented in the README.
"""

from __future__ import annotations

from flask import current_app, jsonify, request

from app.blueprints.api import bp
from app.blueprints.api.keys import error, key_organisation, rate_key
from app.domain.calendar import london_today
from app.extensions import limiter
from app.models import Organisation
from app.services import apprenticeships


def _number(name: str, default: int) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


@bp.get("/v1/apprenticeships")
@limiter.limit(lambda: current_app.config.get("VERIFY_API_RATE_LIMIT", "60 per minute"), key_func=rate_key)
def list_apprenticeships():
    org = key_organisation()
    if not isinstance(org, Organisation):
        return org
    page = apprenticeships.api.listing(org, london_today(), _number("page", 1), _number("per_page", 25))
    return jsonify(page)


@bp.get("/v1/apprenticeships/<int:apprenticeship_id>")
@limiter.limit(lambda: current_app.config.get("VERIFY_API_RATE_LIMIT", "60 per minute"), key_func=rate_key)
def get_apprenticeship(apprenticeship_id: int):
    org = key_organisation()
    if not isinstance(org, Organisation):
        return org
    found = apprenticeships.api.one(org, apprenticeship_id, london_today())
    if found is None:
        return error(404, "Not found", "no apprenticeship with that id belongs to your organisation")
    return jsonify(found)
