"""Fresh question sets: written before idpilot was tuned on them, to measure it untuned."""
