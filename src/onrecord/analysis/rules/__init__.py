"""The rule-based steps of the analysis, each registered under its name and version.

Importing this package registers them all (``onrecord.analysis.engine`` does).
"""

from . import (assemble, attribution, channels, confidence, disputes, layout, places, quotes,  # noqa: F401
               record, speakers, timex, types, unsaid)
