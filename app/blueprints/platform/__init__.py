"""The platform operator's quality-assurance page."""
