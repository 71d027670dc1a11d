"""Verifying badges: the public page, recruiters' verifications and history, batches."""

from flask import Blueprint

bp = Blueprint("verification", __name__)
