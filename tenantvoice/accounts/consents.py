"""The consent log (Law 25, trust-and-safety Q-05): every domain that asks for a consent records
each change here, with the privacy policy's version; the latest line is the consent in force.

Purposes are stored keys (never renamed); their labels and "why we ask" lines are the privacy
domain's (privacy/consents.py). A person with no line has not given their consent.
"""

import sqlalchemy as sa
from flask import current_app

from tenantvoice import clock
from tenantvoice.accounts.models import ConsentRecord, User
from tenantvoice.extensions import db

#: The purposes, by stored key.
CONTACT_BY_BODY = "contact_by_body"  #: the body's officers may phone or write (per body)
CONTACT_TO_ORGANIZER = "contact_to_organizer"  #: the organizer sees an officer's contact
NEED_TEXT_TO_ORGANIZER = "need_text_to_organizer"  #: a new need's text goes to the organizer
EMAIL_DETAILS = "email_details"  #: emails say what the object is, not only its kind


def record(
    user: User | int | None,
    purpose: str,
    given: bool,
    body_id: int | None = None,
    *,
    on_paper_by: User | None = None,
    member_id: int | None = None,
) -> None:
    """Add a line to the log (flushes): the consent in force from now on. `on_paper_by`: the
    officer who recorded a consent the person gave on paper (their own in the app otherwise).
    `member_id`: the register entry it was recorded on; with no `user`, an entry without an
    account (its lines become the person's when they join: link_entry)."""
    user_id = user if isinstance(user, int) or user is None else user.id
    db.session.add(
        ConsentRecord(
            user_id=user_id,
            member_id=member_id,
            purpose=purpose,
            body_id=body_id,
            given=bool(given),
            policy_version=current_app.config["PRIVACY_POLICY_VERSION"],
            recorded_at=clock.now(),
            recorded_by_id=on_paper_by.id if on_paper_by is not None else None,
            on_paper=on_paper_by is not None,
        )
    )
    db.session.flush()


def link_entry(member_id: int, user_id: int) -> None:
    """The person joined through this register entry: the consents recorded for it on paper are
    theirs from now on (in their log, their export, deleted if they leave). Flushes."""
    db.session.execute(
        sa.update(ConsentRecord)
        .where(ConsentRecord.member_id == member_id, ConsentRecord.user_id.is_(None))
        .values(user_id=user_id)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def given(user: User, purpose: str, body_id: int | None = None) -> bool:
    """The consent in force: the latest line's, else not given."""
    latest = db.session.scalar(
        sa.select(ConsentRecord.given)
        .where(
            ConsentRecord.user_id == user.id,
            ConsentRecord.purpose == purpose,
            ConsentRecord.body_id.is_(None)
            if body_id is None
            else ConsentRecord.body_id == body_id,
        )
        .order_by(ConsentRecord.id.desc())
        .limit(1)
    )
    return bool(latest)


def history(user: User) -> list[ConsentRecord]:
    """Every line of the person's log, oldest first (their export, their privacy page)."""
    return list(
        db.session.scalars(
            sa.select(ConsentRecord)
            .where(ConsentRecord.user_id == user.id)
            .order_by(ConsentRecord.id)
        )
    )
