"""The worker as a real process, as the README runs it: started with `flask worker`, it delivers
a message queued by the web app end to end and stops cleanly on Ctrl-C; `make run`'s launcher
starts the web server and the worker together and stops both; and a worker killed mid-batch at
the two points that matter loses nothing (restart delivers the rest), sending nothing twice when
it died between the claim and the send, and repeating with the same Message-ID when it died
between the send and recording it."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.outbox.delivery import queue_mail
from tenantvoice.outbox.models import Delivery
from tests import factories as f
from tests.conftest import _VAPID_TEST_KEY, make_test_app
from tests.outbox.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


@pytest.fixture
def instance(tmp_path, smtp_server):
    """A database file migrated by `flask db upgrade`, a queue file, and the environment every
    process of this little installation shares (as the README's systemd units set it)."""
    offset = clock.now() - dt.datetime.now(dt.UTC)
    env = {
        **os.environ,
        "TENANTVOICE_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tenantvoice.sqlite3'}",
        "TASK_QUEUE_URL": f"sqlite:///{tmp_path / 'huey.sqlite3'}",
        "SECRET_KEY": "worker-test-secret-0123456789-abcdefghijklmnop",
        "VAPID_PRIVATE_KEY": _VAPID_TEST_KEY,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
        "BASE_URL": "http://127.0.0.1:8000",
        "OUTBOX_CLAIM_LEASE_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
        # The processes read the test's time (TV_TEST_NOW), not the machine's.
        "TENANTVOICE_CLOCK_OFFSET_SECONDS": str(offset.total_seconds()),
    }
    subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    web = make_test_app(env["DATABASE_URL"], TASK_QUEUE_URL=env["TASK_QUEUE_URL"])
    with web.app_context():
        yield env, web
        db.session.remove()
        db.engine.dispose()


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _stop(process, sig=signal.SIGINT, timeout=20):
    process.send_signal(sig)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


def test_the_worker_started_as_the_readme_says_delivers_end_to_end(instance, smtp_server):
    env, web = instance
    user = f.make_user(name="Lucie Tremblay", email="lucie@example.org")
    db.session.commit()
    worker = subprocess.Popen(
        [*FLASK, "worker"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        client = web.test_client()
        response = client.post("/forgot", data={"identifier": user.email})
        assert response.status_code == 302
        assert _wait_for(lambda: smtp_server.messages), "the worker delivered nothing"
    finally:
        code = _stop(worker)
    output = worker.stdout.read().decode()
    assert code == 0, output
    assert "TenantVoice worker" in output
    [message] = smtp_server.messages
    assert message["To"] == "lucie@example.org"
    assert "/reset/" in message.get_content()
    db.session.expire_all()
    [row] = db.session.scalars(sa.select(Delivery)).all()
    assert row.sent_at is not None


def test_make_run_starts_the_web_server_and_the_worker_and_ctrl_c_stops_both(instance):
    env, _web = instance
    port = free_port()
    launcher = subprocess.Popen(
        [sys.executable, "tools/serve_with_worker.py", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def web_answers():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        assert _wait_for(web_answers), "the web server did not answer"
        children = subprocess.run(
            ["pgrep", "-P", str(launcher.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 2  # the web server and the worker
    finally:
        assert _stop(launcher) == 0
    assert not web_answers()
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )


def _queue_three():
    for n in (1, 2, 3):
        queue_mail(f"personne{n}@example.org", f"Message {n}", f"Corps {n}")
    db.session.commit()
    return {
        row.to: row.identity
        for row in db.session.scalars(sa.select(Delivery).order_by(Delivery.id))
    }


def _crash(env, point):
    result = subprocess.run(
        [sys.executable, "-m", "tests.outbox.crashing_worker", point, "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    assert result.returncode == 137, result.stderr.decode()


def _restart(env):
    time.sleep(1.2)  # the dead worker's claim (OUTBOX_CLAIM_LEASE_SECONDS=1) runs out
    subprocess.run([*FLASK, "jobs", "run", "outbox.deliver_due"], cwd=ROOT, env=env, check=True)


def _message_ids(inbox):
    return Counter(m["Message-ID"] for m in inbox.messages)


def _rows():
    db.session.expire_all()
    return db.session.scalars(sa.select(Delivery).order_by(Delivery.id)).all()


def test_killed_after_the_claim_before_the_send_nothing_lost_nothing_twice(instance, smtp_server):
    env, _web = instance
    identities = _queue_three()
    _crash(env, "after_claim")
    first, second, third = _rows()
    assert first.sent_at is not None
    assert (second.sent_at, second.attempts) == (None, 1)  # claimed, never sent
    assert (third.sent_at, third.attempts) == (None, 0)
    assert len(smtp_server.messages) == 1
    _restart(env)
    assert all(row.sent_at for row in _rows())
    ids = _message_ids(smtp_server)
    assert set(ids.values()) == {1}  # nothing twice
    assert set(ids) == {f"<{i}@tenantvoice.local>" for i in identities.values()}  # nothing lost


def test_killed_after_the_send_before_recording_it_repeats_with_the_same_identity(
    instance, smtp_server
):
    env, _web = instance
    identities = _queue_three()
    _crash(env, "after_send")
    _first, second, _third = _rows()
    assert second.sent_at is None  # sent, but the worker died before writing it
    assert len(smtp_server.messages) == 2
    _restart(env)
    assert all(row.sent_at for row in _rows())
    ids = _message_ids(smtp_server)
    assert set(ids) == {f"<{i}@tenantvoice.local>" for i in identities.values()}  # nothing lost
    repeated = f"<{identities['personne2@example.org']}@tenantvoice.local>"
    assert ids[repeated] == 2  # at least once: the repeat carries the same Message-ID
    assert sum(ids.values()) == 4
