"""The public micro-credential hub: search, record pages and their OB documents."""
