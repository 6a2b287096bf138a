"""The understanding layer: a prompt becomes one typed request (scope, intent, facet, slots)."""
