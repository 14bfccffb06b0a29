"""The base of every schema."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Unknown keys are errors, values are never coerced to another type ("no" is not a
    boolean, "5" is not a number), and a validated object is immutable (copy it with
    ``model_copy(update=...)``). Each field's docstring is its description."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True)
