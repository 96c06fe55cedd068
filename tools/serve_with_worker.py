"""Run the web server and the worker side by side (`make run`): one command, and Ctrl-C (or
SIGTERM) stops both; if either one stops, the other is stopped too."""

import argparse
import signal
import subprocess
import sys
import time

FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5000")
    args = parser.parse_args()
    children = [
        subprocess.Popen([*FLASK, "worker"]),
        subprocess.Popen([*FLASK, "run", "--host", args.host, "--port", str(args.port)]),
    ]

    def stop_children() -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)  # both stop gracefully on it
        deadline = time.monotonic() + 20
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.3)
    except KeyboardInterrupt:
        pass
    stop_children()
    return 0


if __name__ == "__main__":
    sys.exit(main())
