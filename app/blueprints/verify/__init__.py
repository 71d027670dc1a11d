"""Verifying badges: the public page, recruiters' verifications and history, batches."""
