"""History over time: what changed in the tenant between two versions of the store."""
