"""Rows of a past schema inserted alone in a migration test (the test needs only them, not the
meetings, bodies or users they point at). SQLite checks foreign keys on every connection
(tenantvoice.extensions.sqlite_foreign_keys), so they are off for this one connection only: the
pragma works outside a transaction only, and is on again before the connection goes back to the
pool."""

import contextlib

from tenantvoice.extensions import db


@contextlib.contextmanager
def rows_without_parents():
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            with conn.begin():
                yield conn
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
