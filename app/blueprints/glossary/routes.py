"""The shared language: /glossary (every term, one anchor each) and /about-data (sources and
licences of the reference data, including the ESCO acknowledgement)."""

from __future__ import annotations

from flask import render_template

from app.blueprints.glossary import bp
from app.services.catalogue import glossary


@bp.app_template_global()
def glossary_term(slug: str):
    """The glossary entry for `slug` (or None), for hints beside fields and filters."""
    return glossary.term(slug)


@bp.get("/glossary")
def index():
    terms = glossary.terms()
    letters = sorted({t.term[0].upper() for t in terms})
    return render_template("glossary/index.html", terms=terms, letters=letters, by_slug={t.slug: t for t in terms})


@bp.get("/about-data")
def about_data():
    return render_template("glossary/about_data.html")
