"""Pages of the registry, one module per area."""
