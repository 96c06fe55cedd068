"""Notifications: events, who is told (by the policy), each person's channels, digests and quiet
hours, and the in-app centre. Every domain announces through `services.notify()`."""
