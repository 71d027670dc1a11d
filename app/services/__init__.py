"""Domain operations. Plain functions taking domain objects and the acting user; they flush,
never commit, and write the audit log."""
