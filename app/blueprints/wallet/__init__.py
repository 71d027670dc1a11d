"""The learner's wallet ("My badges"): every credential they hold, importing badges earned
elsewhere, checking them again."""

from flask import Blueprint

bp = Blueprint("wallet", __name__, url_prefix="/wallet")
