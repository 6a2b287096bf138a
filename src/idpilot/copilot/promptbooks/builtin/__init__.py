"""The shipped promptbooks, one YAML file each (read by `promptbooks.catalog`)."""
