"""The organizer's side of collective needs (issue 13): the dashboard across the organizer's
scope, the partner directory, actions on needs, statistics, and what the direction receives."""
