"""The glossary page and the data-sources page."""
