"""Meetings: scheduling, agenda, notice, RSVP, calendar (what happens in the room: assembly)."""
