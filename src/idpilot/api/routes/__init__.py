"""The API's routes, one module per area; each route declares the role it needs."""
