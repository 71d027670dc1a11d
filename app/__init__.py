"""Credwork application factory."""

from __future__ import annotations

import os

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from app import cli, data_version, jobs_setup, models, templating  # noqa: F401  (models: importing it registers every model on the metadata)
from app.blueprints import errors, outcomes, register_all
from app.extensions import cache, configure_sqlite, csrf, db, htmx, limiter, login_manager, migrate, oauth
from app.security import headers, sessions
from config import CONFIGS


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers, commands."""
    app = Flask(__name__, instance_relative_config=True)
    name = config_name or os.environ.get("CREDWORK_ENV", "development")
    config_class = CONFIGS[name]
    if hasattr(config_class, "validate"):
        config_class.validate()
    app.config.from_object(config_class)
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config.get("PROXY_FIX_HOPS"):
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]  # as Flask documents

    register_templates(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(os.path.join(app.root_path, "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )

    templating.init_app(app)


def register_extensions(app: Flask) -> None:

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    oauth.init_app(app)
    limiter.init_app(app)
    jobs_setup.init_app(app)
    cache.init_app(app)
    with app.app_context():
        data_version.init_app(app, db.engine)
    WTFormsHelpers(app)
    sessions.init_app(app, login_manager)

    headers.init_app(app)


def register_blueprints(app: Flask) -> None:
    register_all(app)


def register_errorhandlers(app: Flask) -> None:
    outcomes.init_app(app)
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    cli.init_app(app)
