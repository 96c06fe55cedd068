"""A stand-in push service on loopback: it keeps what it is sent, answers what the test says, and
decrypts each message with the device's own keys (RFC 8291), as the browser would."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class Device:
    """One browser's subscription: its P-256 key pair and auth secret, and an endpoint on the
    receiver."""

    def __init__(self, receiver, name="phone"):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        self.endpoint = f"{receiver.url}/push/{name}"
        self.receiver = receiver

    @property
    def keys(self) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url(public), "auth": b64url(self.auth_secret)}

    def subscription(self) -> dict:
        return {"endpoint": self.endpoint, "expirationTime": None, "keys": self.keys}

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)

    def received(self) -> list[dict]:
        """Every push sent to this device: {"headers", "payload"} (decrypted)."""
        path = "/push/" + self.endpoint.rsplit("/", 1)[1]
        return [
            {"headers": headers, "payload": self.decrypt(body)}
            for p, headers, body in self.receiver.requests
            if p == path
        ]


class PushReceiver:
    def __init__(self):
        self.requests = []  # (path, headers, body)
        self.status = 201
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver.lock:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    receiver.requests.append((self.path, headers, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
