"""The outbox's periodic job: the sweep that delivers what is due (retries after a backoff,
push held through quiet hours, deliveries a dead worker had claimed, and anything queued while
the job queue could not be reached)."""

from tenantvoice.outbox.delivery import deliver_due
from tenantvoice.outbox.queue import Job, every_minute

JOBS = [Job("outbox.deliver_due", deliver_due, every_minute(), retries=0)]
