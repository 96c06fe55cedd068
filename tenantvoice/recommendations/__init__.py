"""Recommendations (issue 11): a tenant body's recommendation to its housing office, drafted and
amended by the body's members, put to a vote through the ballots domain, transmitted to the
office's direction (or, from an association whose provider has a CCR, to that CCR, which takes
it up: domain-rules R2), answered by the direction and followed to the end on a public timeline.

Interface for the integrator: ``signals.transmitted`` (sender = the recommendation) fires inside
the transaction that transmits it to the direction; ``services.on_result_final`` is connected to
``ballots.signals.result_final`` by the factory.
"""
