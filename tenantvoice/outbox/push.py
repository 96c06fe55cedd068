"""The web push transport: VAPID keys, the push-service allow-list, and one encrypted send.

Payloads are encrypted for the device with its own keys (RFC 8291, aes128gcm) by pywebpush; the
request is signed with our VAPID key (RFC 8292). Endpoints are accepted only on the configured
push services (ASVS 1.3.6, the SSRF a push endpoint opens: trust-and-safety §4 row 8), checked
when a device subscribes and again before every send; loopback only under TESTING.
"""

import base64
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

logger = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
KEY_FILE = "vapid_private.pem"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key_from_text(text: str) -> ec.EllipticCurvePrivateKey:
    """A PEM private key, or the 32-byte raw key in base64url (what web-push tools print)."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("VAPID_PRIVATE_KEY must be an EC P-256 key")
        return key
    raw = _b64url_decode(text)
    if len(raw) != 32:
        raise ValueError("VAPID_PRIVATE_KEY must be PEM or 32 bytes in base64url")
    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def _instance_key() -> ec.EllipticCurvePrivateKey:
    """Read instance/vapid_private.pem, creating it on first use. The web server and the worker
    may start together: the file is created exclusively, and the loser reads the winner's."""
    path = Path(current_app.instance_path) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
            logger.info("generated the web push (VAPID) key in %s", path)
    return _key_from_text(path.read_text())


def vapid_key() -> ec.EllipticCurvePrivateKey:
    """The server's VAPID key: from VAPID_PRIVATE_KEY, else instance/ (kept for this process)."""
    cached = current_app.extensions.get("vapid_key")
    if cached is None:
        env = current_app.config.get("VAPID_PRIVATE_KEY", "")
        cached = _key_from_text(env) if env else _instance_key()
        current_app.extensions["vapid_key"] = cached
    return cached


def application_server_key() -> str:
    """The public key the browser subscribes with (uncompressed P-256 point, base64url)."""
    point = (
        vapid_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _b64url(point)


def _host_matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def endpoint_allowed(endpoint: str) -> bool:
    """An https URL on one of PUSH_SERVICE_HOSTS (default port, no credentials); a loopback
    receiver only when the app is TESTING and PUSH_ALLOW_LOOPBACK is set."""
    cfg = current_app.config
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.username or parts.password or not host:
        return False
    if host in LOOPBACK:
        return bool(cfg.get("TESTING") and cfg.get("PUSH_ALLOW_LOOPBACK"))
    if parts.scheme != "https" or port not in (None, 443):
        return False
    return any(_host_matches(host, pattern.lower()) for pattern in cfg["PUSH_SERVICE_HOSTS"])


def keys_valid(p256dh: str, auth: str) -> bool:
    """The browser's keys look like RFC 8291 keys: a P-256 point and a 16-byte secret."""
    try:
        point = _b64url_decode(p256dh)
        secret = _b64url_decode(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, TypeError):
        return False
    return len(point) == 65 and len(secret) == 16


@dataclass
class PushResult:
    outcome: str  #: "sent", "gone" (404/410: drop the subscription), "retry", "refused"
    reason: str = ""
    retry_after: int | None = None  #: seconds, from a 429/503 Retry-After


def _no_redirects() -> requests.Session:
    session = requests.Session()
    session.max_redirects = 0  # a push service never redirects; following one would be SSRF
    return session


def send_push(subscription: dict, payload: dict, *, topic: str, ttl: int) -> PushResult:
    """Encrypt `payload` (JSON) for the device and post it to its push service."""
    if not endpoint_allowed(subscription["endpoint"]):
        return PushResult("refused", "endpoint not on PUSH_SERVICE_HOSTS")
    vapid = Vapid02(vapid_key())
    session = _no_redirects()
    try:
        webpush(
            subscription,
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=vapid,
            vapid_claims={"sub": current_app.config["VAPID_SUBJECT"]},
            ttl=ttl,
            timeout=10,
            headers={"Topic": topic, "Urgency": "normal"},
            requests_session=session,
        )
    except WebPushException as exc:
        response = exc.response
        if response is None:
            return PushResult("retry", "WebPushException")
        status = response.status_code
        if status in (404, 410):
            return PushResult("gone", f"HTTP {status}")
        if status == 429 or status >= 500:
            after = response.headers.get("Retry-After", "")
            return PushResult("retry", f"HTTP {status}", int(after) if after.isdigit() else None)
        return PushResult("refused", f"HTTP {status}")
    except requests.RequestException as exc:
        return PushResult("retry", type(exc).__name__)
    finally:
        session.close()
    return PushResult("sent")
