"""Feature blueprints. Each package defines `bp` in its `__init__.py`; its other modules attach
views to it. This list is the one place they are registered."""

from __future__ import annotations

import pkgutil
from importlib import import_module

from flask import Flask

from app.blueprints import public_address
from app.blueprints.converters import IdConverter

BLUEPRINTS = [
    "app.blueprints.main",
    "app.blueprints.auth",
    "app.blueprints.organisation",
    "app.blueprints.api",
    "app.blueprints.hub",
    "app.blueprints.glossary",
    "app.blueprints.catalogue",
    "app.blueprints.platform",
    "app.blueprints.sso",
    "app.blueprints.job_roles",
    "app.blueprints.cpd",
    "app.blueprints.verification",
    "app.blueprints.api_keys",
    "app.blueprints.credentials",
    "app.blueprints.issuing",
    "app.blueprints.apprenticeships",
    "app.blueprints.wallet",
    "app.blueprints.rpl",
    "app.blueprints.recruitment",
    "app.blueprints.jobs",
]


def register_all(app: Flask) -> None:
    # Before any route is added: every `<int:...>` is bounded to what the database can hold.
    app.url_map.converters["int"] = IdConverter
    public_address.init_app(app)
    for dotted in BLUEPRINTS:
        package = import_module(dotted)
        # Importing every module of the package attaches its views (and commands) to `bp`.
        for module in pkgutil.iter_modules(package.__path__):
            import_module(f"{dotted}.{module.name}")
        app.register_blueprint(package.bp)
