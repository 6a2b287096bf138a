"""A report's content per kind, built from skill results (one module per report kind)."""
