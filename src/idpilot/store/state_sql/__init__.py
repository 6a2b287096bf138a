"""Migrations of the app state database (tokens, usage, audit trail), not the tenant store."""
