"""Job roles and skills gaps (employers)."""
