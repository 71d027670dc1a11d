"""Recruitment: recruiters' and hiring managers' vacancy pages (/recruitment) and the public
application pages candidates use without an account (/apply)."""

from flask import Blueprint

bp = Blueprint("recruitment", __name__)
