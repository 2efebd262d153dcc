"""Pages that only read stored results never import nltk (about two seconds of a restarted server's
first page): it is imported when a word is first stemmed or a sentiment first scored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return set(out.stdout.split())


def test_the_analysis_a_page_imports_does_not_import_nltk() -> None:
    loaded = _modules_after(
        "import analysis.themes.pipeline, analysis.report.pack, analysis.text.vader"
    )
    assert "analysis.themes.pipeline" in loaded
    assert not any(m == "nltk" or m.startswith("nltk.") for m in loaded)


def test_stemming_imports_nltk_when_first_needed() -> None:
    loaded = _modules_after(
        "from analysis.text.normalise import stem\nassert stem('waiting') == 'wait'"
    )
    assert "nltk.stem.snowball" in loaded
