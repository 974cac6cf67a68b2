"""Named, versioned steps: the registry that the analysis is built from.

A step is a function of an ``ArticleContext`` registered under ``name.vN`` (spaCy's habit:
``spacy.prioritize_new_ents_filter.v1``) with the products it needs and the products it
returns. A step that changes how it reads the language gets a new version, so a record that
names its steps says which rules made it. The default order is kept as data in
``onrecord.analysis.engine.DEFAULT_STEPS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .context import ArticleContext

#: A step's function: the context in, its product (or a tuple of products) out.
StepFunc = TypeVar("StepFunc", bound="Callable[[ArticleContext], Any]")

_STEP_ID = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)*\.v[1-9][0-9]*$")


@dataclass(frozen=True)
class Step:
    """One step of the analysis: what it is called, reads and returns."""

    id: str  # "quotes.v1"
    func: Callable[[ArticleContext], Any]
    needs: tuple[str, ...]
    produces: tuple[str, ...]

    @property
    def doc(self) -> str:
        """The first line of the step's docstring: what it does."""
        return (self.func.__doc__ or "").strip().splitlines()[0] if self.func.__doc__ else ""


REGISTRY: dict[str, Step] = {}


def step(step_id: str, *, needs: tuple[str, ...] = (), produces: tuple[str, ...] | str = (),
         ) -> Callable[[StepFunc], StepFunc]:
    """Register a function as the step ``step_id`` (``name.vN``).

    The function takes the context and returns its product, or a tuple of products in the
    order of ``produces``.
    """
    if not _STEP_ID.match(step_id):
        raise ValueError(f"step id {step_id!r} must read like 'name.v1' or 'group.name.v2'")
    produced = (produces,) if isinstance(produces, str) else tuple(produces)

    def register(func: StepFunc) -> StepFunc:
        if step_id in REGISTRY and REGISTRY[step_id].func is not func:
            raise ValueError(f"step {step_id!r} is registered twice; give the new one another version")
        REGISTRY[step_id] = Step(step_id, func, tuple(needs), produced)
        return func

    return register
