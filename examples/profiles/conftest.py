"""pytest: this folder is the example's project root, so `profiles` imports as it does for its own tools."""
