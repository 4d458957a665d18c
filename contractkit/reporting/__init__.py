"""Reports built from the registry and the engine, and their renderers."""
