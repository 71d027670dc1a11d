"""A background job's page: its progress (polled by htmx), what failed by row, and retry."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
