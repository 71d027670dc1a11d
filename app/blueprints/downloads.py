"""Files sent for download (PDFs, CSVs): one place sets the headers; a large report made in the
background sends the person to its job's page, which offers the file once it is ready."""

from __future__ import annotations

import re

from flask import Response, flash, redirect, url_for
from werkzeug.wrappers.response import Response as Redirect

from app.models import Job


def attachment(body: bytes | str, filename: str, mimetype: str) -> Response:
    """`body` as a download named `filename` (reduced to letters, digits, dots and hyphens so
    nothing a person typed can reach the header), never cached."""
    safe = re.sub(r"[^a-z0-9.-]+", "-", filename.lower()).strip("-") or "download"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def report(made: tuple[bytes, str] | Job) -> Response | Redirect:
    """A PDF report made now is downloaded; one made in the background (a job, see jobs.reports)
    sends the person to its job's page, which offers the file once it is ready."""
    if isinstance(made, Job):
        flash("This report is large, so it is being made in the background. It will be ready to download here.")
        return redirect(url_for("jobs.show", job_id=made.id), code=303)
    body, filename = made
    return attachment(body, filename, "application/pdf")
