"""What templates can see: the policy helper, the current organisation, dates in Europe/London."""

from __future__ import annotations

from flask import Flask, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from app.domain.calendar import london, london_date
from app.domain.money import format_pounds
from app.models import ROLE_LABELS, Role
from app.security import policy
from app.security.permissions import Permission

# Public pages linked from every page.
PUBLIC_LINKS = [
    ("hub.search", "Micro-credential hub"),
    ("glossary.index", "Glossary"),
    ("verification.public", "Verify a badge"),
]


# Small pieces of markup that long tables repeat for every row and cell (a heat map of 25 people
# calls them hundreds of times): Python, because a Jinja macro call costs far more than building
# the string. Templates reach them through components/table.html and components/status_tag.html.


def status_tag(item=None, label=None, colour=None) -> Markup:
    """A status as a coloured tag with its words (colour is never the only signal): an object
    with `status_label` and `status_colour`, or a label and a colour."""
    label = label or getattr(item, "status_label", "")
    colour = colour or getattr(item, "status_colour", "")
    extra = f" govuk-tag--{escape(colour)}" if colour else ""
    return Markup(f'<strong class="govuk-tag{extra}">{escape(label)}</strong>\n')


def table_row(classes: str = "", caller=None) -> Markup:
    """A table row around what its `{% call row() %}` block renders."""
    extra = f" {escape(classes)}" if classes else ""
    return Markup(f'<tr class="govuk-table__row{extra}">{caller() if caller else ""}</tr>')


def table_cell(value=None, numeric=False, header=False, classes="", colspan=None, caller=None) -> Markup:
    """A cell: ``value`` (escaped), or what a `{% call cell() %}` block renders; ``header=True``
    makes it the row's header cell."""
    tag = "th" if header else "td"
    attrs = ' scope="row"' if header else ""
    if colspan:
        attrs += f' colspan="{escape(colspan)}"'
    kind = "govuk-table__header" if header else "govuk-table__cell"
    if numeric:
        kind += " govuk-table__cell--numeric"
    if classes:
        kind += f" {escape(classes)}"
    inner = caller() if caller else ("" if value is None else escape(value))
    return Markup(f'<{tag}{attrs} class="{kind}">{inner}</{tag}>\n')


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(status_tag_markup=status_tag, table_row=table_row, table_cell=table_cell)
    app.jinja_env.filters["london"] = london
    app.jinja_env.filters["london_date"] = london_date
    app.jinja_env.filters["pounds"] = format_pounds
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.template_global()
    def public_nav_links() -> list[dict]:
        links = []
        for endpoint, title in PUBLIC_LINKS:
            # A recruiter's checks belong in their organisation's history, not the anonymous verifier.
            if (
                endpoint == "verification.public"
                and getattr(current_user, "is_authenticated", False)
                and policy.can(Permission.VERIFICATIONS_RUN)
            ):
                endpoint = "verification.index"
            links.append({"url": url_for(endpoint), "title": title})
        return links

    @app.template_global()
    def role_label(value: str) -> str:
        try:
            return ROLE_LABELS[Role(value)]
        except ValueError:
            return value

    @app.context_processor
    def inject():
        authed = getattr(current_user, "is_authenticated", False)
        membership = policy.current_membership() if authed else None
        return {
            "can": policy.can,
            "current_membership": membership,
            "current_org": membership.organisation if membership else None,
            "my_memberships": policy.active_memberships(current_user) if authed else [],
        }
