"""REST request and response models (the typed edge of the API)."""
