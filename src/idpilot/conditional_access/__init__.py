"""Offline Conditional Access engine: evaluates Graph policies against a sign-in context."""
