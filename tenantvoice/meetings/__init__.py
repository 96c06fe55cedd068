"""Meetings: scheduling, agenda, notice, RSVP, calendar, attendance, quorum, resolutions."""
