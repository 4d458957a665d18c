"""The profiles API: a second app on contractkit.fastapi, built from docs/fastapi.md alone."""
