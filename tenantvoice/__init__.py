"""TenantVoice: the app factory is the only place that knows every part."""

import importlib
import logging

from flask import Flask

from tenantvoice.config import ROOT, Config, finalize

#: Blueprints, in the order of the domains (house-style §3). Each module defines `bp`.
BLUEPRINTS = [
    "tenantvoice.web.pwa",
    "tenantvoice.accounts.views",
    "tenantvoice.orgs.views",
    "tenantvoice.notifications.views",
    "tenantvoice.admin.views",
    "tenantvoice.home.views",
    "tenantvoice.meetings.views",
    "tenantvoice.assembly.views",
    "tenantvoice.assembly.designation_views",
    "tenantvoice.ballots.views",
    "tenantvoice.consultations.views",
    "tenantvoice.recommendations.views",
    "tenantvoice.minutes.views",
    "tenantvoice.polls.views",
    "tenantvoice.needs.views",
    "tenantvoice.organizing.views",
    "tenantvoice.logbook.views",
    "tenantvoice.privacy.views",
    "tenantvoice.privacy.forget_views",
    "tenantvoice.privacy.incident_views",
]

#: Page hooks (tenantvoice/web/hooks.py): (hook, "module:handler"), in the order the panels
#: show on the page. The only place that says which domain shows what on another's page.
PANELS = [
    ("page_shell", "tenantvoice.home.panels:main_nav"),
    ("meeting_panels", "tenantvoice.assembly.panels:meeting_attendance"),
    ("meeting_panels", "tenantvoice.minutes.panels:meeting_minutes"),
    ("body_panels", "tenantvoice.meetings.panels:body_meetings"),
    ("body_panels", "tenantvoice.minutes.panels:body_minutes"),
    ("body_panels", "tenantvoice.consultations.panels:body_consultations"),
    ("body_panels", "tenantvoice.assembly.panels:body_designations"),
    ("home_panels", "tenantvoice.meetings.panels:home_upcoming"),
    ("home_panels", "tenantvoice.consultations.panels:home_consultations"),
    ("body_panels", "tenantvoice.recommendations.panels:body_recommendations"),
    ("home_panels", "tenantvoice.recommendations.panels:home_recommendations"),
    ("home_panels", "tenantvoice.polls.panels:home_open_polls"),
    ("body_panels", "tenantvoice.polls.panels:body_polls"),
    ("home_panels", "tenantvoice.needs.panels:home_needs"),
]

#: Command-line commands, by module: each `register(app)` adds its commands to `flask`.
CLI = [
    "tenantvoice.cli:register_cli",
    "tenantvoice.admin.cli:register",
    "tenantvoice.retention:register_cli",
    "tenantvoice.ballots.cli:register",
    "tenantvoice.seed:register_cli",
    "tenantvoice.backup:register_cli",
    "tenantvoice.province:register_cli",
]

#: Full-text search structures outside the ORM metadata (tenantvoice.search.setup_search).
SEARCH_SETUP = [
    "tenantvoice.minutes.search:create_search_structures",
    "tenantvoice.needs.search:create_search_structures",
]
#: ...and what drops them once a downgrade removed their table (tenantvoice.search.teardown_search).
SEARCH_TEARDOWN = ["tenantvoice.minutes.search:drop_orphaned_search_structures"]

#: Kinds of notification, by domain: each module lists `KINDS` (tenantvoice.notifications.kinds)
#: and names its heading on the settings page `GROUP`.
NOTIFICATION_KINDS = [
    "tenantvoice.meetings.kinds",
    "tenantvoice.minutes.kinds",
    "tenantvoice.ballots.kinds",
    "tenantvoice.polls.kinds",
    "tenantvoice.consultations.kinds",
    "tenantvoice.recommendations.kinds",
    "tenantvoice.needs.kinds",
    "tenantvoice.notifications.invitations",
]

#: Periodic jobs the worker runs, by domain: each module lists `JOBS` (tenantvoice.outbox.queue).
PERIODIC_JOBS = [
    "tenantvoice.outbox.jobs",
    "tenantvoice.notifications.jobs",
    "tenantvoice.meetings.jobs",
    "tenantvoice.ballots.jobs",
    "tenantvoice.recommendations.jobs",
    "tenantvoice.retention",
    "tenantvoice.privacy.jobs",
]


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error pages, headers, CLI."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    finalize(app)
    if app.config["TRUSTED_PROXIES"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Trust exactly that many hops of X-Forwarded-For/-Proto (the client's address for rate
        # limits, https for cookies); never X-Forwarded-Host: links come from BASE_URL.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    logging.basicConfig(level=logging.INFO if not app.testing else logging.WARNING)

    from tenantvoice.extensions import babel, compress, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:"):
        from tenantvoice.extensions import sqlite_foreign_keys

        with app.app_context():
            sqlite_foreign_keys(db.engine)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        from tenantvoice.extensions import sqlite_file_pragmas

        with app.app_context():
            sqlite_file_pragmas(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "tenantvoice" / "migrations"))
    csrf.init_app(app)
    from tenantvoice.web.forms import drop_hidden_ids

    drop_hidden_ids()
    compress.init_app(app)
    limiter.init_app(app)

    from tenantvoice.web.i18n import register_i18n, select_locale

    babel.init_app(app, locale_selector=select_locale)
    register_i18n(app)

    from tenantvoice.accounts.sessions import load_user_from_session
    from tenantvoice.web.passive import PassiveAwareSessionInterface

    app.session_interface = PassiveAwareSessionInterface()
    login_manager.init_app(app)
    login_manager.user_loader(load_user_from_session)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = None  # our server-side rows already bind the session
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    from tenantvoice.web import logredact
    from tenantvoice.web.assets import register_assets
    from tenantvoice.web.cleaning import register_cleaning
    from tenantvoice.web.errors import register_error_handlers
    from tenantvoice.web.headers import register_headers
    from tenantvoice.web.ids import register_id_converter
    from tenantvoice.web.templating import register_templating

    register_id_converter(app)  # before the blueprints add their <int:…> rules
    register_cleaning(app)
    logredact.install()
    register_assets(app)
    register_headers(app)
    register_error_handlers(app)
    register_templating(app)

    # Import every model module so metadata (create_all, migrations) knows all tables.
    importlib.import_module("tenantvoice.all_models")

    for dotted in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(dotted).bp)

    from tenantvoice.web import hooks

    hooks.register_hooks(app)
    for hook, target in PANELS:
        hooks.connect(app, hook, _resolve(target))

    from tenantvoice.notifications.kinds import register_kinds
    from tenantvoice.outbox.queue import init_queue

    for dotted in NOTIFICATION_KINDS:
        module = importlib.import_module(dotted)
        register_kinds(app, module.KINDS, getattr(module, "GROUP", None))
    from tenantvoice.notifications.invitations import on_invitation_offered
    from tenantvoice.orgs.signals import invitation_offered

    # Connected once per process (blinker keeps one receiver however many apps are built).
    invitation_offered.connect(on_invitation_offered)
    from tenantvoice.assembly.signals import record_closing
    from tenantvoice.minutes.services import closes_the_record

    record_closing.connect(closes_the_record)
    from tenantvoice.ballots.signals import result_final
    from tenantvoice.recommendations.services import on_result_final

    # A recommendation records its vote's result (adopted, rejected, no quorum) and timeline.
    result_final.connect(on_result_final)
    from tenantvoice.organizing.signals import small_cells_shown
    from tenantvoice.privacy.incidents import on_small_cells_shown

    # The direction's views of suppressed cells are counted (the small-cell alert, Q-08).
    small_cells_shown.connect(on_small_cells_shown)
    init_queue(app, [job for d in PERIODIC_JOBS for job in importlib.import_module(d).JOBS])

    for target in CLI:
        _resolve(target)(app)
    app.extensions["search_setup"] = [_resolve(target) for target in SEARCH_SETUP]
    app.extensions["search_teardown"] = [_resolve(target) for target in SEARCH_TEARDOWN]
    return app


def _resolve(target: str):
    """The function a "package.module:function" entry of the lists above names."""
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)
