"""The ``onrecord`` command line: a thin layer over the library.

It parses arguments, reads inputs and prints what the library returns. ``base`` holds the
group and what every command shares; each other module registers one family of commands.
"""

from . import (  # noqa: E402,F401 - each registers its commands on main
    analysis,
    corpus,
    factchecks,
    meaning,
    record,
    watch,
)
from .base import main
from .corpus import (
    _input_bytes,  # noqa: F401 - the size of the inputs, for progress (tests use it)
)

__all__ = ["main"]
