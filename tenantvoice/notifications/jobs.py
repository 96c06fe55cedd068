"""Periodic jobs of the notifications domain (registered by the factory)."""

from tenantvoice.notifications.digests import send_digests
from tenantvoice.outbox.queue import Job, hourly

JOBS = [Job("notifications.digests", send_digests, hourly(minute=0))]
