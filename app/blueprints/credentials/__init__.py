"""Public pages of issued badges: credential pages and downloads, claim links, DID documents, status lists."""

from flask import Blueprint

bp = Blueprint("credentials", __name__)
