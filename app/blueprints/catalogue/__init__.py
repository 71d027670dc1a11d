"""A provider's own catalogue: create, edit, publish, retire, import and export."""
