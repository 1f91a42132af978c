"""Pages of the policy module: thin, they call selectors and services."""
