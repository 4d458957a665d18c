"""``python -m contractkit.openapi``: print the rules section of docs/openapi.md (``--write FILE`` updates it)."""

import sys
from pathlib import Path

from contractkit.openapi.catalog import BEGIN, END, render_markdown

if len(sys.argv) == 3 and sys.argv[1] == "--write":
    target = Path(sys.argv[2])
    text = target.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    target.write_text(head + render_markdown() + tail, encoding="utf-8")
else:
    sys.stdout.write(render_markdown() + "\n")
