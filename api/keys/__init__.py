"""Keys kept outside the database: the personal-data cipher key and the signing keys."""
