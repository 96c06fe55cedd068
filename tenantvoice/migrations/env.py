"""Alembic environment for TenantVoice (Flask-Migrate). Batch mode on SQLite, types compared,
full-text search structures ignored by autogenerate and (re)built after an upgrade to head."""

import logging
from logging.config import fileConfig

from alembic import context
from alembic.script import ScriptDirectory
from flask import current_app

config = context.config
if config.config_file_name and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_engine():
    return target_db.engine


def get_engine_url():
    return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")


config.set_main_option("sqlalchemy.url", get_engine_url())


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def is_search_table(name: str) -> bool:
    """Tables made by tenantvoice.search (FTS5 virtual tables and their shadow tables)."""
    return "_fts" in name or name.startswith(("fts_", "search_"))


def include_name(name, type_, parent_names):
    if type_ == "table":
        return not is_search_table(name or "")
    if type_ in ("column", "index"):
        # PostgreSQL's stored tsvector columns and their GIN indexes, and the trigram indexes
        # (tenantvoice.search, SEARCH_SETUP).
        return not (name or "").endswith(("_tsv", "_trgm"))
    return True


def common_args(connection_or_url):
    dialect = (
        connection_or_url.dialect.name
        if hasattr(connection_or_url, "dialect")
        else str(connection_or_url).split(":", 1)[0]
    )
    return {
        "target_metadata": get_metadata(),
        "render_as_batch": dialect.startswith("sqlite"),
        "compare_type": True,
        "include_name": include_name,
    }


def run_migrations_offline():
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, literal_binds=True, **common_args(url))
    with context.begin_transaction():
        context.run_migrations()


def _at_head(connection) -> bool:
    from alembic.runtime.migration import MigrationContext

    current = set(MigrationContext.configure(connection).get_current_heads())
    return bool(current) and current == set(ScriptDirectory.from_config(config).get_heads())


#: Tables whose rows mean the database is in use (a downgrade below them loses people's data).
_DATA_TABLES = ("users", "regions", "bodies", "members", "meetings")


def _is_downgrade() -> bool:
    """Is this run `flask db downgrade` (alembic.command.downgrade passes its own `downgrade`)?"""
    proxy = getattr(context, "_proxy", None)  # the running EnvironmentContext
    fn = proxy.context_opts.get("fn") if proxy is not None else None
    return getattr(fn, "__name__", "") == "downgrade"


def _refuse_destructive_downgrade(connection) -> None:
    """A downgrade drops tables with everything in them, without a word: outside development, on
    a database with data, it needs `-x force=yes` or TENANTVOICE_ALLOW_DOWNGRADE=1 (take a
    backup first: `flask backup`)."""
    import os

    import sqlalchemy as sa

    if not _is_downgrade() or context.is_offline_mode():
        return
    forced = context.get_x_argument(as_dictionary=True).get("force", "").lower() in (
        "1",
        "yes",
        "true",
    ) or os.environ.get("TENANTVOICE_ALLOW_DOWNGRADE", "") in ("1", "yes", "true")
    if forced or current_app.config.get("ENV_NAME", "development") == "development":
        return
    inspector = sa.inspect(connection)
    populated = [
        table
        for table in _DATA_TABLES
        if inspector.has_table(table)
        and connection.execute(
            sa.text(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - fixed table names
        ).first()
    ]
    connection.rollback()  # end the reads' transaction before the migration's own
    for table in populated[:1]:
        raise SystemExit(
            f"Refusing to downgrade: the database holds data ({table} is not empty) and "
            f"TENANTVOICE_ENV is {current_app.config.get('ENV_NAME')!r}. A downgrade drops "
            "tables and their rows. Take a backup (flask backup), then run again with "
            "`flask db downgrade -x force=yes …` or TENANTVOICE_ALLOW_DOWNGRADE=1."
        )


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # `flask db migrate` with no schema change writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)

    engine = get_engine()
    with engine.connect() as connection:
        _refuse_destructive_downgrade(connection)
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table (copy, drop, rename): with foreign keys on,
            # the drop would run the ON DELETE of every row pointing at it. Outside any
            # transaction, or SQLite ignores the pragma; back on for the pooled connection.
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(connection=connection, **{**conf_args, **common_args(connection)})
            with context.begin_transaction():
                context.run_migrations()
            at_head = _at_head(connection)
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()

    # After an upgrade to head (not after a downgrade or a partial upgrade), build the
    # full-text search structures, which live outside the ORM metadata. Idempotent.
    autogenerating = getattr(config.cmd_opts, "autogenerate", False)
    if at_head and not autogenerating:
        from tenantvoice.search import setup_search

        setup_search()
        target_db.session.commit()
        target_db.session.remove()
    elif not autogenerating:
        # Below head (a downgrade): drop the search structures whose table is gone, so no
        # minutes text outlives its table.
        from tenantvoice.search import teardown_search

        teardown_search()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
