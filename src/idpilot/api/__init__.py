"""The REST API (`idpilot serve`): FastAPI over the same engine, skills and store as the CLI.

Needs the `api` extra (`pip install 'idpilot[api]'`: FastAPI, uvicorn, httpx, and PyJWT for
Entra ID sign-in).
"""

from idpilot.api.app import create_app
from idpilot.api.config import ServerConfig

__all__ = ["ServerConfig", "create_app"]
