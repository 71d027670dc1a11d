"""Provider coordinators award badges: one at a time or from a CSV, revoke, re-issue, rotate keys."""
