"""The data exports waiting to be downloaded (the consent log is accounts.models.ConsentRecord:
every domain that asks for a consent records it there)."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice import clock
from tenantvoice.crypto import EncryptedText
from tenantvoice.extensions import db


class DataExport(db.Model):
    """A "download my data" request: the worker fills it, its owner downloads it until
    `expires_at`, then the worker deletes it. Stored in the database (encrypted) so any web
    process serves it."""

    __tablename__ = "data_exports"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    requested_at: so.Mapped[datetime] = so.mapped_column(default=lambda: clock.now())
    #: Set by the worker once both files are built.
    ready_at: so.Mapped[datetime | None]
    expires_at: so.Mapped[datetime] = so.mapped_column(index=True)
    #: The JSON document (schema: docs/privacy/export.schema.json).
    json_text: so.Mapped[str | None] = so.mapped_column(EncryptedText)
    #: The zip of CSV files, base64.
    csv_zip_b64: so.Mapped[str | None] = so.mapped_column(EncryptedText)
