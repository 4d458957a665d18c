"""``python -m contractkit.compat > docs/rules.md``: print the rule catalog as Markdown."""

import sys

from contractkit.compat.catalog import render_markdown

sys.stdout.write(render_markdown())
