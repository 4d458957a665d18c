"""``python -m contractkit.reporting > docs/gate-rules.md``: the gate's, replay's and fuzzer's rule ids."""

import sys

from contractkit.reporting.formats._rules import render_markdown

sys.stdout.write(render_markdown())
