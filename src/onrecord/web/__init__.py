"""The web server: JSON API and pages over a corpus (``onrecord serve``)."""

from .app import create_app
from .settings import WebSettings

__all__ = ["WebSettings", "create_app"]
