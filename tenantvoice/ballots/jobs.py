"""Periodic jobs of the ballots domain (registered by the factory): votes and polls open and
close on time even when nobody opens their page."""

from tenantvoice.ballots.services import close_due_questions
from tenantvoice.outbox.queue import Job, every_minute

JOBS = [Job("ballots.open_and_close_due", close_due_questions, every_minute())]
