"""Log exports read as Graph collections: diagnostic-settings storage-account trees, Log
Analytics query API results and Log Analytics CSV exports (`discover` finds them in a folder)."""
