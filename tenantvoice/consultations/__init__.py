"""Office consultations: the housing office submits a draft to its CCR (domain-rules C7, R1)."""
