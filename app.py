"""Router and frame: page config, navigation, the shared sidebar, then the chosen page."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from ui import context, deeplink, presentation

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

st.set_page_config(page_title="Lived-experience feedback", page_icon=":material/forum:", layout="wide")

HERE = Path(__file__).parent
# (script, title, icon, url path). A page is listed only when its script is present.
PAGES = (
    ("pages/overview.py", "Overview", ":material/dashboard:", "overview"),
    ("pages/themes.py", "Themes", ":material/category:", "themes"),
    ("pages/codebook.py", "Codebook", ":material/menu_book:", "codebook"),
    ("pages/voices.py", "Voices", ":material/groups:", "voices"),
    ("pages/improvement_plan.py", "Improvement Plan", ":material/flag:", "improvement-plan"),
    ("pages/data.py", "Data", ":material/upload_file:", "data"),
)

deeplink.start_run()
pages = [
    st.Page(script, title=title, icon=icon, url_path=url, default=(url == "overview"))
    for script, title, icon, url in PAGES
    if (HERE / script).exists()
]
pg = st.navigation(pages)
context.render_sidebar()
presentation.apply_style()
deeplink.show_notes()
try:
    pg.run()
finally:
    # Runs after st.stop() too, so the address bar is always the link to what is on screen.
    deeplink.write_url()
