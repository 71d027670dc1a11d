"""The public hub (no sign-in): search, a plain-language page per record, and the record as
an Open Badges 3.0 Achievement and an OB 2.0 BadgeClass at stable, versioned URLs."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.caching import conditional
from app.blueprints.htmx import render_partial_or_page, wants_partial
from app.blueprints.hub import bp
from app.blueprints.hub.forms import HubFilterForm
from app.blueprints.page_cache import cached_page
from app.models import MicroCredential, Organisation
from app.security.policy import current_org
from app.services import catalogue
from app.services.catalogue import documents, lifecycle, quality
from app.services.links import public_url


def _public(endpoint: str, **values) -> str:
    """An absolute URL on the public base (stable whatever host served the request)."""
    return public_url(url_for(endpoint, **values))


@bp.app_template_filter("iso_date")
def iso_date(value: str) -> str:
    """'2027-01-18' -> '18 January 2027' (start dates are stored as ISO strings)."""
    try:
        return date.fromisoformat(value).strftime("%-d %B %Y")
    except (TypeError, ValueError):
        return value or ""


@bp.get("")
@cached_page
def search():
    filters = catalogue.search.HubFilters.from_args(request.args)
    form = HubFilterForm(request.args)
    page = suggestion = None
    if form.validate():
        filters = replace(filters, **form.ranges())
        page = catalogue.search.search(filters)
        suggestion = catalogue.search.did_you_mean(filters, page)
    # Otherwise no results: the error summary says which filter to correct, rather than the
    # results quietly leaving it out.
    # The results partial has no filter form, so an htmx request skips the option queries.
    options = None if wants_partial() else catalogue.search.filter_options()
    return render_partial_or_page(
        "hub/search.html",
        "hub/_results.html",
        filters=filters,
        form=form,
        page=page,
        suggestion=suggestion,
        options=options,
        partial=wants_partial(),
    )


def _provider_or_404(slug: str) -> Organisation:
    """The provider a public URL names (the hub is public: no organisation check)."""
    return lifecycle.provider_by_slug(slug) or abort(404)


def _versions(provider: Organisation, code: str, public_only: bool) -> list[MicroCredential]:
    viewer = current_org() if getattr(current_user, "is_authenticated", False) else None
    return lifecycle.versions_for_viewer(provider.id, code, viewer, public_only=public_only)


def _choose(versions: list[MicroCredential], version: int | None) -> MicroCredential:
    if version is not None:
        for record in versions:
            if record.version == version:
                return record
        abort(404)
    for record in versions:
        if record.is_published:
            return record
    if not versions:
        abort(404)
    return versions[0]


def _links(record: MicroCredential) -> documents.RecordLinks:
    slug, code, v = record.provider.slug, record.code, record.version
    return documents.RecordLinks(
        page=_public("hub.record", slug=slug, code=code, version=v),
        achievement=_public("hub.achievement_version", slug=slug, code=code, version=v),
        badge_class=_public("hub.badge_class_version", slug=slug, code=code, version=v),
        image=_public("hub.image", slug=slug, code=code, version=v),
        issuer=_public("hub.issuer", slug=slug),
        provider_page=_public("hub.search", provider=slug),
    )


@bp.get("/<slug>/<code>")
def record(slug: str, code: str):
    provider = _provider_or_404(slug)
    versions = _versions(provider, code, public_only=False)
    chosen = _choose(versions, request.args.get("version", type=int))
    chosen.provider = provider
    page = render_template(
        "hub/record.html",
        record=chosen,
        provider=provider,
        versions=versions,
        links=_links(chosen),
        approval=quality.current_approval(chosen),
        skill_level=lifecycle.level_from_scqf(chosen.scqf_level),
    )
    # The header differs for a signed-in person, so only their own browser may keep a copy.
    return conditional(make_response(page), private=True)


def _document(slug: str, code: str, version: int | None) -> MicroCredential:
    provider = _provider_or_404(slug)
    chosen = _choose(_versions(provider, code, public_only=True), version)
    if version is None and not chosen.is_published:
        abort(404)  # the unversioned URL means "what is offered now"
    chosen.provider = provider
    return chosen


def _achievement(record: MicroCredential) -> dict:
    approval = quality.current_approval(record)
    assurance = quality.assurance_sentence(approval) if approval else None
    return documents.achievement(record, _links(record), assurance)


def _json_ld(document: dict, content_type: str = "application/ld+json"):
    # Key order kept as written (@context first), which jsonify would sort.
    response = make_response(json.dumps(document, ensure_ascii=False, indent=2))
    response.headers["Content-Type"] = f"{content_type}; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(response, max_age=300)


@bp.get("/<slug>/<code>/achievement.json")
def achievement(slug: str, code: str):
    record = _document(slug, code, None)
    return _json_ld(_achievement(record))


@bp.get("/<slug>/<code>/v<int:version>/achievement.json")
def achievement_version(slug: str, code: str, version: int):
    record = _document(slug, code, version)
    return _json_ld(_achievement(record))


@bp.get("/<slug>/<code>/badgeclass.json")
def badge_class(slug: str, code: str):
    record = _document(slug, code, None)
    return _json_ld(documents.badge_class(record, _links(record)))


@bp.get("/<slug>/<code>/v<int:version>/badgeclass.json")
def badge_class_version(slug: str, code: str, version: int):
    record = _document(slug, code, version)
    return _json_ld(documents.badge_class(record, _links(record)))


@bp.get("/<slug>/<code>/v<int:version>/image.svg")
def image(slug: str, code: str, version: int):
    record = _document(slug, code, version)
    response = make_response(documents.badge_image_svg(record))
    response.headers["Content-Type"] = "image/svg+xml"
    return response


@bp.get("/<slug>/issuer.json")
def issuer(slug: str):
    provider = _provider_or_404(slug)
    return _json_ld(
        documents.issuer_profile(provider, _public("hub.issuer", slug=slug), _public("hub.search", provider=slug))
    )


@bp.get("/<slug>")
def provider_records(slug: str):
    """A provider's hub listing is the search filtered by provider."""
    _provider_or_404(slug)
    return redirect(url_for("hub.search", provider=slug), code=303)
