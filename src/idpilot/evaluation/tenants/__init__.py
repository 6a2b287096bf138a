"""Generated evaluation tenants, each built independently of the Contoso demo."""
