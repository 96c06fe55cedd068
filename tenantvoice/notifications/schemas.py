"""JSON that comes in: the push subscription app.js sends (PushSubscription.toJSON())."""

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, post_load


class _Lenient(Schema):
    """Unknown keys (expirationTime, a browser's extras) are ignored; a missing or null string
    is empty, and the service then refuses it with its own translated reason."""

    class Meta:
        unknown = EXCLUDE

    @post_load
    def _empty_strings(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        return {key: "" if value is None else value for key, value in data.items()}


class PushKeysSchema(_Lenient):
    p256dh = fields.String(load_default="", allow_none=True)
    auth = fields.String(load_default="", allow_none=True)


class PushSubscriptionSchema(_Lenient):
    endpoint = fields.String(load_default="", allow_none=True)
    keys = fields.Nested(PushKeysSchema, required=True)
    #: Sent by the service worker when the push service replaced the subscription.
    old_endpoint = fields.String(data_key="oldEndpoint", load_default="", allow_none=True)


class PushEndpointSchema(_Lenient):
    """Forgetting this phone: its endpoint only."""

    endpoint = fields.String(load_default="", allow_none=True)
