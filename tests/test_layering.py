"""The layers: readers, the store and the command line's help start without the analysis."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_layering_readers_and_store_import_no_spacy_nor_pipeline():
    loaded = _modules_after("import onrecord.ingest.readers, onrecord.store, onrecord.store.writer, onrecord.lexicon")
    assert "spacy" not in loaded
    assert not any(m.startswith("onrecord.analysis") for m in loaded)


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"], ["ingest", "--help"]])
def test_layering_help_imports_no_spacy(args):
    code = f"from onrecord.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass"
    loaded = _modules_after(code)
    assert "spacy" not in loaded and "onrecord.analysis.pipeline" not in loaded
