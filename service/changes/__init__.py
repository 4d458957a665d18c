"""The cart API's changelog, one module per version step (contractkit.fastapi's change-set convention).

`from_v1` holds what changed from v1 to v2, as declared conversions. `[tool.contractkit] changes` names this
package, so the app, replay and drift fuzzing compose the same conversions from it.
"""
