"""Test helpers: let the worker do its part (the wake-up tasks the commits queued), then read
what the memory mail backend received."""

from flask import current_app

from tenantvoice.outbox.mail import outbox
from tenantvoice.outbox.queue import run_pending_tasks


def delivered_mail():
    """Run the queued worker tasks here and now, and return every message sent so far."""
    run_pending_tasks(current_app._get_current_object())
    return outbox()
