"""CPD sponsorship: budgets, requests and approvals, CPD records, exports."""

from flask import Blueprint

bp = Blueprint("cpd", __name__, url_prefix="/cpd")
