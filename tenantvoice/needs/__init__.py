"""Collective needs (issue 13): raised by tenants, supported ("me too"), commented, merged,
reviewed and forwarded by the site's reviewing body, and the timeline tenants read."""
