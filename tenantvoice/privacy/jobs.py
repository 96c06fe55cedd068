"""The privacy domain's periodic jobs (tenantvoice.outbox.queue)."""

from tenantvoice.outbox.queue import Job, every_minute
from tenantvoice.privacy.export import build_exports

JOBS = [Job("privacy.build_exports", build_exports, every_minute())]
