"""idpilot: an open, self-hosted copilot for Microsoft Entra ID administrators."""

__version__ = "0.1.0"

__all__ = ["__version__"]
