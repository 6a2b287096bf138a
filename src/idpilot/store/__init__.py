"""DuckDB storage of one tenant: schema, migrations, and the queries skills use."""

from idpilot.store.database import Store

__all__ = ["Store"]
