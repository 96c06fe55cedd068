"""A worker that dies at a chosen point of its Nth send: `python -m tests.outbox.crashing_worker
after_claim 2` or `after_send 2`. The delivery code is the worker's own, unchanged; only the mail
transport (after_claim: the claim is committed, nothing sent) or the recording step
(after_send: the message left, its success not yet written) ends the process with os._exit, as a
kill -9 or a power cut would."""

import os
import sys

from tenantvoice import create_app
from tenantvoice.outbox import delivery, mail
from tenantvoice.outbox.queue import run_in_app

DIED = 137


def main(point: str, victim: int) -> None:
    app = create_app()
    sends = {"count": 0}
    real_send, real_finish = mail.send_message, delivery._finish

    def send(message):
        sends["count"] += 1
        if point == "after_claim" and sends["count"] == victim:
            os._exit(DIED)
        real_send(message)

    def finish(row, *, sent):
        if point == "after_send" and sent and sends["count"] == victim:
            os._exit(DIED)
        real_finish(row, sent=sent)

    mail.send_message = send
    delivery._finish = finish
    run_in_app(app, delivery.deliver_due)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
