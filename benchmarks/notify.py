#!/usr/bin/env python3
"""What announcing an event costs as a body grows: SQL statements and time for `notify()` when
a notice is published to N members (each with a push device, half of them wanting email right
away), and for the worker's delivery of what it queued (memory mail, a loopback push receiver).
Prints figures; asserts nothing (timings are never asserted).

  benchmarks/notify.py [--size small|full]

small (CI): 20 and 100 members; full: 100, 500 and 2000. SQLite in a temporary file.
"""

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from tenantvoice.extensions import db  # noqa: E402
from tenantvoice.meetings import services  # noqa: E402
from tenantvoice.meetings.models import MeetingStatus  # noqa: E402
from tenantvoice.notifications.models import Channel, Frequency, Preference  # noqa: E402
from tenantvoice.outbox.delivery import deliver_due  # noqa: E402
from tenantvoice.outbox.models import PushSubscription  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.conftest import _VAPID_TEST_KEY, make_test_app  # noqa: E402
from tests.outbox.push_receiver import Device, PushReceiver  # noqa: E402

SIZES = {"small": [20, 100], "full": [100, 500, 2000]}


def one_run(members: int, receiver) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        app = make_test_app(
            f"sqlite:///{tmp}/bench.sqlite3",
            VAPID_PRIVATE_KEY=_VAPID_TEST_KEY,
            PUSH_ALLOW_LOOPBACK=True,
        )
        with app.app_context():
            db.create_all()
            body = f.make_body(sites=[f.make_site()])
            officer = f.make_tenant(body=body, role=f.MemberRole.SECRETARY)
            for n in range(members):
                user = f.make_tenant(body=body, email=f"t{n}@example.org")
                device = Device(receiver, name=f"d{members}-{n}")
                db.session.add(PushSubscription(user_id=user.id, endpoint=device.endpoint,
                                                **device.keys))  # fmt: skip
                if n % 2:
                    db.session.add(Preference(user_id=user.id, kind="meeting.notice",
                                              channel=Channel.EMAIL,
                                              frequency=Frequency.IMMEDIATELY))  # fmt: skip
            meeting = f.make_meeting(
                body=body, status=MeetingStatus.DRAFT, starts_in=timedelta(days=30)
            )
            db.session.commit()
            statements = []
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            with app.test_request_context():
                started = time.perf_counter()
                services.publish(officer, meeting, confirm_late=True)
                db.session.commit()
                publish_s = time.perf_counter() - started
            event.remove(db.engine, "before_cursor_execute", listener)
            started = time.perf_counter()
            with app.test_request_context():
                counts = deliver_due(limit=100_000)
            deliver_s = time.perf_counter() - started
            db.engine.dispose()
    return {
        "sql": statements,
        "members": members,
        "statements": len(statements),
        "publish_ms": publish_s * 1000,
        "sent": counts["sent"],
        "deliver_s": deliver_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--sql", action="store_true", help="print the most repeated statements")
    args = parser.parse_args()
    receiver = PushReceiver()
    try:
        print(
            f"{'members':>8} {'SQL stmts':>10} {'publish+notify':>15} {'sent':>6} {'delivery':>10}"
        )
        for members in SIZES[args.size]:
            r = one_run(members, receiver)
            print(
                f"{r['members']:>8} {r['statements']:>10} {r['publish_ms']:>12.0f} ms "
                f"{r['sent']:>6} {r['deliver_s']:>8.1f} s"
            )
            if args.sql:
                for sql, n in Counter(" ".join(q.split())[:100] for q in r["sql"]).most_common(8):
                    print(f"    {n:>5} × {sql}")
    finally:
        receiver.stop()


if __name__ == "__main__":
    main()
