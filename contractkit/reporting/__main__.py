"""``python -m contractkit.reporting > docs/replay-fuzz-rules.md``: the replay's and the fuzzer's rule ids."""

import sys

from contractkit.reporting.formats._rules import render_markdown

sys.stdout.write(render_markdown())
