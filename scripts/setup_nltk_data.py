"""Copy the MIT-licensed VADER lexicon from the vaderSentiment wheel into nltk_data/ (idempotent).

NLTK only opens data under its data path and its downloader needs the internet, so the project
ships its own nltk_data folder: nltk_data/sentiment/vader_lexicon.zip with the inner path
vader_lexicon/vader_lexicon.txt, exactly where nltk's SentimentIntensityAnalyzer looks.
"""

from __future__ import annotations

import sys
import zipfile
from importlib import resources
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "nltk_data" / "sentiment" / "vader_lexicon.zip"


def main() -> int:
    """Write the lexicon zip when it is missing; return 0 on success, 2 when the source is absent."""
    if TARGET.exists() and zipfile.is_zipfile(TARGET):
        return 0
    try:
        source = resources.files("vaderSentiment") / "vader_lexicon.txt"
        data = source.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        print(
            f"error: cannot find the VADER lexicon in the vaderSentiment package: {exc}",
            file=sys.stderr,
        )
        return 2
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    tmp = TARGET.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("vader_lexicon/vader_lexicon.txt", data)
    tmp.replace(TARGET)
    print(f"VADER lexicon written to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
