"""The profiles API's change sets, one module per version step (from_v1: v1 -> v2)."""
