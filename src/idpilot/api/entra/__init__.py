"""Optional sign-in with Entra ID: the API accepts the tenant's v2.0 access tokens for its app
registration beside idpilot's own bearer tokens, each mapped to reader, operator or admin by
its app roles or groups (`IDPILOT_ENTRA_*` settings; off by default).

`config` reads the settings, `keys` keeps the tenant's signing keys, `verify` checks a token
and maps its role; `errors` is importable without PyJWT.
"""
