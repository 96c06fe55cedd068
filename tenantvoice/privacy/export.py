"""Download my data (Law 25 s. 27, portability; trust-and-safety Q-07).

The person asks on their privacy page; the worker's job `privacy.build_exports` builds the JSON
document and a zip of CSV files from the data inventory (every `exported` column of every row
that is theirs, nothing else), stores them encrypted in `data_exports`, and deletes them once
`DATA_EXPORT_LIFETIME` has passed. Only the signed-in owner can download them.

Never a secret ballot, never who voted, never another person's data or identity, never the
organizer's interventions: the inventory says so column by column, and the tests check it.
"""

import base64
import csv
import io
import zipfile
from datetime import date, datetime, time
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import current_app

from tenantvoice import clock
from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.models import rowcount
from tenantvoice.privacy.inventory import TABLES, Table
from tenantvoice.privacy.models import DataExport

FORMAT = "tenantvoice-personal-data"
#: Raised whenever the schema changes (it allows no field it does not name, so an older reader
#: would refuse a newer file): 2 added a consent's `on_paper` (an officer recorded it).
FORMAT_VERSION = 2
#: Where the schema is kept in the repository (and served at /privacy/export.schema.json).
SCHEMA_PATH = "docs/privacy/export.schema.json"
SCHEMA_URL = "/privacy/export.schema.json"


def exported_tables() -> list[Table]:
    return [t for t in TABLES if t.section and t.exported]


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _rows_of(table: Table, user: User) -> list[dict[str, Any]]:
    meta = db.metadata.tables[table.name]
    owner = meta.c[table.owner or ""]
    condition: sa.ColumnElement[bool]
    if table.owner_key == "need":  # rows of the needs the person raised
        needs = db.metadata.tables["needs"]
        condition = owner.in_(sa.select(needs.c.id).where(needs.c.author_id == user.id))
    elif table.owner_key == "{id}":
        condition = owner == user.id
    else:
        condition = owner == table.owner_key.format(id=user.id)
    columns = [meta.c[name] for name in table.exported_columns]
    order = list(meta.primary_key.columns)
    result = db.session.execute(sa.select(*columns).where(condition).order_by(*order))
    return [{k: _value(v) for k, v in row._mapping.items()} for row in result]


def build(user: User) -> dict[str, Any]:
    """The person's data as one JSON-ready document (schema: docs/privacy/export.schema.json)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": current_app.config["BASE_URL"] + SCHEMA_URL,
        "generated_at": clock.now().isoformat(),
        "privacy_policy_version": current_app.config["PRIVACY_POLICY_VERSION"],
        "sections": {t.section: _rows_of(t, user) for t in exported_tables()},
    }


def csv_safe(value: Any) -> str:
    """A cell as text a spreadsheet shows and never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_zip(document: dict[str, Any]) -> bytes:
    """One CSV file per section (UTF-8 with BOM, so spreadsheets read accents), in a zip."""
    buffer = io.BytesIO()
    columns = {t.section: t.exported_columns for t in exported_tables()}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section, rows in document["sections"].items():
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(columns[section])
            for row in rows:
                writer.writerow([csv_safe(row[c]) for c in columns[section]])
            archive.writestr(f"{section}.csv", "\ufeff" + out.getvalue())
    return buffer.getvalue()


def request_export(user: User) -> DataExport:
    """Ask for a new export (flushes): any earlier one of the person goes, so one waits at most."""
    db.session.execute(
        sa.delete(DataExport)
        .where(DataExport.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    now = clock.now()
    row = DataExport(
        user_id=user.id,
        requested_at=now,
        expires_at=now + current_app.config["DATA_EXPORT_LIFETIME"],
    )
    db.session.add(row)
    db.session.flush()
    return row


def latest_for(user: User) -> DataExport | None:
    """The person's export still within its lifetime, if any."""
    return db.session.scalar(
        sa.select(DataExport)
        .where(DataExport.user_id == user.id, DataExport.expires_at > clock.now())
        .order_by(DataExport.id.desc())
        .limit(1)
    )


def fill(row: DataExport) -> None:
    user = db.session.get(User, row.user_id)
    if user is None:
        db.session.delete(row)
        return
    document = build(user)
    row.json_text = current_app.json.dumps(document)
    row.csv_zip_b64 = base64.b64encode(csv_zip(document)).decode()
    row.ready_at = clock.now()


def build_exports() -> dict[str, int]:
    """The worker's job: build what was asked and is not built yet, delete what has expired.
    Works from the table's state (idempotent): a second run finds nothing to do."""
    now = clock.now()
    expired = db.session.execute(
        sa.delete(DataExport)
        .where(DataExport.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    pending = list(
        db.session.scalars(
            sa.select(DataExport).where(DataExport.ready_at.is_(None)).order_by(DataExport.id)
        )
    )
    for row in pending:
        fill(row)
    db.session.flush()
    return {"built": len(pending), "expired": rowcount(expired) or 0}


def zip_bytes(row: DataExport) -> bytes:
    return base64.b64decode(row.csv_zip_b64 or "")


def _column_schema(column: sa.Column) -> dict[str, Any]:
    kind: dict[str, Any]
    python = None
    try:
        python = column.type.python_type
    except NotImplementedError:
        python = None
    if isinstance(column.type, sa.Enum) or python is str:
        kind = {"type": "string"}
    elif python is bool:
        kind = {"type": "boolean"}
    elif python is int:
        kind = {"type": "integer"}
    elif python is datetime:
        kind = {"type": "string", "format": "date-time"}
    elif python is date:
        kind = {"type": "string", "format": "date"}
    elif python is time:
        kind = {"type": "string", "format": "time"}
    else:
        kind = {"type": "string"}
    if column.nullable:
        kind["type"] = [kind["type"], "null"]
    return kind


def schema() -> dict[str, Any]:
    """The export's JSON Schema, made from the inventory; the repository keeps it in SCHEMA_PATH
    (a test fails when the two differ, so a published schema never lies)."""
    sections = {}
    for table in exported_tables():
        meta = db.metadata.tables[table.name]
        sections[table.section] = {
            "description": table.about,
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": table.exported_columns,
                "properties": {c: _column_schema(meta.c[c]) for c in table.exported_columns},
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://tenantvoice.example.org/privacy/export.schema.json",
        "title": "TenantVoice: a person's data",
        "description": "What TenantVoice collected from one person (Québec Law 25, s. 27). "
        "Never a secret ballot, never another person's data.",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "format",
            "format_version",
            "schema",
            "generated_at",
            "privacy_policy_version",
            "sections",
        ],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "schema": {"type": "string"},
            "generated_at": {"type": "string", "format": "date-time"},
            "privacy_policy_version": {"type": "string"},
            "sections": {
                "type": "object",
                "additionalProperties": False,
                "required": list(sections),
                "properties": sections,
            },
        },
    }
