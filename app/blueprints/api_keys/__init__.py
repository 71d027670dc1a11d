"""API keys for the verification API (organisation admins)."""
