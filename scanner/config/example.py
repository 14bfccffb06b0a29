"""``mynumber-dlp config init``: the example config of the README (``example.toml``, every key
with its default and a comment), with every setting commented out but the watched directory,
so the file loads as it is and shows what can be changed."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import tomli_w

EXAMPLE_FILE = "example.toml"
_SETTING = re.compile(r"^(?P<key>[a-z_]+) = ")
_TABLE = re.compile(r"^\[")


def example_text() -> str:
    """The README's configuration example (the same text: a test holds them together)."""
    return resources.files("scanner.config").joinpath(EXAMPLE_FILE).read_text(encoding="utf-8")


def example_config(watch: Path) -> str:
    """The example with every setting commented out, watching ``watch``."""
    out = ["# mynumber-dlp configuration, written by `mynumber-dlp config init`.",
           "# Every key is shown with its default, commented out; uncomment what you change.",
           "# Check it with: mynumber-dlp config check FILE", ""]
    for line in example_text().splitlines():
        if line.startswith("path = ") and out and out[-1].startswith("[[serve.watch]]"):
            out.append(tomli_w.dumps({"path": str(watch)}).rstrip("\n") + "  # required: the directory to watch")
        elif _SETTING.match(line):
            out.append("# " + line)
        elif _TABLE.match(line) and line.startswith("[serve.watch.policy]"):
            out.append("# " + line)
        else:
            out.append(line)
    return "\n".join(out) + "\n"

