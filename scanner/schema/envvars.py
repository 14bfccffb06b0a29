"""``${VAR}`` in every string of a file, from the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

_VAR = re.compile(r"\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""``${NAME}``; ``$${NAME}`` stands for a literal ``${NAME}``."""


class UnsetVariable(ValueError):
    """A string names an environment variable that is not set."""

    def __init__(self, name: str, loc: tuple[str | int, ...]) -> None:
        super().__init__(f"environment variable {name} is not set")
        self.name = name
        self.loc = loc


def expand_vars(value: Any, env: Mapping[str, str] | None = None, loc: tuple[str | int, ...] = ()) -> Any:
    """``value`` with ``${VAR}`` replaced in every string of it (keys are left alone);
    raises :class:`UnsetVariable` with the location of the string for an unset one."""
    env = os.environ if env is None else env
    if isinstance(value, str):
        def sub(m: re.Match[str]) -> str:
            escaped, name = m.groups()
            if escaped:
                return m.group()[1:]
            if name not in env:
                raise UnsetVariable(name, loc)
            return env[name]

        return _VAR.sub(sub, value)
    if isinstance(value, list):
        return [expand_vars(v, env, (*loc, i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: expand_vars(v, env, (*loc, k)) for k, v in value.items()}
    return value
