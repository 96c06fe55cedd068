"""Periodic jobs of the meetings domain (registered by the factory)."""

from tenantvoice.meetings.services import send_reminders
from tenantvoice.outbox.queue import Job, every

JOBS = [Job("meetings.reminders", send_reminders, every(minutes=10))]
