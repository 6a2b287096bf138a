"""The sign-in fixture tenant, shared with tests/signin (built once per session here too)."""

from signin.conftest import store, tenant_path

__all__ = ["store", "tenant_path"]
