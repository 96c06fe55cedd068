"""Periodic jobs of the recommendations domain (registered by the factory): answers overdue by
the body's `answer_delay_days` are flagged once, whether or not anyone opens a page (a page
read never writes)."""

from tenantvoice.outbox.queue import Job, hourly
from tenantvoice.recommendations.services import flag_overdue

JOBS = [Job("recommendations.flag_overdue", flag_overdue, hourly(minute=7))]
