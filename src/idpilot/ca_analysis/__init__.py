"""Conditional Access over the store: replay, policy scope, coverage and what-if helpers."""
