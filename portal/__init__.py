"""The Family Conference Portal: create_app() builds the Flask application."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from flask import Flask

from config import BASE_DIR, INSTANCE_DIR, Config, config_from_environment
from portal.requests import PortalRequest


# Each feature: its package (which holds only its blueprint) and the modules that attach themselves to the app when
# imported: routes to the blueprint, models to the schema, demo loaders to `flask demo load`, task providers to the
# family's home page. Importing a feature's package imports nothing else of it, so a feature's services and models
# can be imported by another feature without bringing its routes (and their imports) along.
FEATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pages", ("routes",)),
    ("auth", ("routes", "council_routes")),
    ("cases", ("models", "routes", "demo", "tasks")),
    ("admin", ("routes",)),
    ("reports", ("models", "routes", "family_views_routes", "demo", "tasks")),
    ("support", ("models", "routes", "demo", "tasks")),
    ("wishes", ("models", "routes", "demo", "tasks")),
    ("plans", ("models", "routes", "demo", "tasks")),
    ("feedback", ("models", "routes", "demo", "tasks")),
    ("pwa", ("routes",)),
    ("access_log", ("routes",)),
)


def create_app(config_class: type[Config] | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application for a configuration class (PORTAL_ENV's when none is given)."""
    config_class = config_class or config_from_environment()
    config_class.check()
    app = Flask(
        __name__,
        static_folder=str(BASE_DIR / "static" / "dist"),
        static_url_path="/static",
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(INSTANCE_DIR),
    )
    app.request_class = PortalRequest  # form fields and query strings without NUL characters (portal/requests.py)
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    INSTANCE_DIR.mkdir(exist_ok=True)

    register_proxy(app)
    register_templates(app)
    register_extensions(app)
    register_assets(app)
    register_blueprints(app)
    register_errors(app)
    register_response_headers(app)
    register_cli(app)
    return app


def register_proxy(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client's address, scheme and host from their headers."""
    hops = app.config["PROXY_HOPS"]
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_templates(app: Flask) -> None:
    """Find templates in the project, then in GOV.UK Frontend Jinja and WTForms; add helpers."""
    from portal.templating import init_templates

    init_templates(app)


def register_extensions(app: Flask) -> None:
    """Bind every extension to this app."""
    from portal.db import db
    from portal.extensions import babel, compress, csrf, htmx, limiter, login_manager, migrate
    from portal.i18n import select_locale
    from portal.templating import init_local_digits
    from portal.auth.sessions import init_sessions
    from portal.auth.council import init_app as init_council_sign_in
    from portal.notify import init_notifier
    from portal.security import init_security
    from portal.audit import init_app as init_audit

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/London")
    init_local_digits(app)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    init_security(app)
    init_audit(app)
    login_manager.init_app(app)
    init_notifier(app)
    init_sessions(app)
    init_council_sign_in(app)


def register_assets(app: Flask) -> None:
    """Resolve built asset names (content-hashed by the front-end build) for templates."""
    from portal.assets import init_assets

    init_assets(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature. An <int:...> in a URL is at most a database integer: a longer number
    is a 404 like any unknown id, never a database overflow (a 500)."""
    from werkzeug.routing import IntegerConverter

    class DatabaseInteger(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseInteger
    for feature, modules in FEATURES:
        for module in modules:
            import_module(f"portal.{feature}.{module}")
        app.register_blueprint(import_module(f"portal.{feature}").bp)


def register_errors(app: Flask) -> None:
    """Translated error pages that never show a stack trace."""
    from portal.errors import init_errors

    init_errors(app)


def register_response_headers(app: Flask) -> None:
    """Caching rules: HTML is never stored; content-hashed assets are cached for a year."""
    from portal.security import init_cache_headers

    init_cache_headers(app)


def register_cli(app: Flask) -> None:
    """flask demo ..., flask translate ..., flask notify ..., flask retention ..."""
    import portal.retention  # noqa: F401  (its legal_holds table is part of the schema)
    from portal.cli import demo_cli, notify_cli, retention_cli, translate_cli

    for group in (demo_cli, translate_cli, notify_cli, retention_cli):
        app.cli.add_command(group)
