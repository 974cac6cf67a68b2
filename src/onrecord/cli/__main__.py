"""``python -m onrecord.cli``."""

from . import main

main()
