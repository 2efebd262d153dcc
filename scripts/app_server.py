"""`streamlit ...` with the app's modules imported in the background as the server starts.

Used by scripts/serve.py (what `make run` starts) in place of `python -m streamlit`: same arguments,
same server. See ui/preload.py for why.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.preload import preload_when_serving  # noqa: E402 - after the project root is on the path


def main() -> int:
    """Start the preload thread, then Streamlit's command line with this process's arguments."""
    from streamlit.web.cli import main as streamlit_main

    # As app.py sets it (its own call then changes nothing): the preload's line reaches the log.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    threading.Thread(target=preload_when_serving, name="preload", daemon=True).start()
    sys.argv = ["streamlit", *sys.argv[1:]]
    return streamlit_main()


if __name__ == "__main__":
    raise SystemExit(main())
