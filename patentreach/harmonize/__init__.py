"""harmonize: see the README's capability table; filled by its issue."""
