"""Periodic jobs of the ballots domain (registered by the factory): votes and polls open and
close on time even when nobody opens their page, and the people who have not voted are
reminded the day before it closes."""

from tenantvoice.ballots.services import close_due_questions, remind_before_closing
from tenantvoice.ballots.storage import compact_owed
from tenantvoice.outbox.queue import Job, every, every_minute

JOBS = [
    Job("ballots.open_and_close_due", close_due_questions, every_minute()),
    Job("ballots.remind_before_closing", remind_before_closing, every(minutes=10)),
    # A compaction refused after a close (tables busy) is retried until done (B-15).
    Job("ballots.compact_owed", compact_owed, every(minutes=5)),
]
