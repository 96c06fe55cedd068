"""The polls domain's one table: a poll an officer started and saved without opening it (a
draft). A poll itself is a question of the ballots mechanism (`Purpose.POLL`); a draft is only
the creation form as it was typed, kept for the body's officers until they create the poll or
delete the draft. It never holds an answer."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from tenantvoice.accounts.models import User
from tenantvoice.extensions import db
from tenantvoice.models import TimestampMixin
from tenantvoice.orgs.models import Body


class PollDraft(TimestampMixin, db.Model):
    __tablename__ = "poll_drafts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bodies.id"), index=True)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    #: The question as typed so far (shown in the body's list of polls).
    title: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    #: The creation form's fields as typed: {field name: [values]} (lengths capped on saving).
    fields: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)

    body: so.Mapped[Body] = so.relationship()
    created_by: so.Mapped[User | None] = so.relationship()

    def __repr__(self) -> str:
        return f"<PollDraft {self.id} body={self.body_id} {self.title!r}>"
