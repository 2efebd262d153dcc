"""Point NLTK at the project's own nltk_data folder (no downloads at run time)."""

from __future__ import annotations

from analysis.core import config


def ensure_nltk_path() -> None:
    """Put <project>/nltk_data first on nltk.data.path (idempotent)."""
    import nltk  # late: importing nltk takes about two seconds; only scoring sentiment needs it

    path = str(config.NLTK_DATA_DIR)
    if path not in nltk.data.path:
        nltk.data.path.insert(0, path)


def vader_available() -> bool:
    """True when the shipped VADER lexicon can be opened."""
    import nltk

    ensure_nltk_path()
    try:
        nltk.data.find("sentiment/vader_lexicon.zip")
    except LookupError:
        return False
    return True
