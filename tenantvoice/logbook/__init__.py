"""The organizers' logbook: community interventions recorded once, regional statistics."""
