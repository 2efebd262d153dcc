"""Router and frame: page config, navigation, the shared sidebar, then the chosen page."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from ui import auth, context, deeplink, presentation, widgets

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

# The app's own icon file, served by the app: a Material icon as page_icon makes every browser fetch
# it from an outside font server (the navigation icons are in Streamlit's bundled font: no request).
ICON = Path(__file__).resolve().parent / "ui" / "static" / "icon.png"
st.set_page_config(page_title="Lived-experience feedback", page_icon=str(ICON), layout="wide")

# (script, title, icon, url path, permission needed to see the page at all)
PAGES = (
    ("app_pages/overview.py", "Overview", ":material/dashboard:", "overview", "view"),
    ("app_pages/themes.py", "Themes", ":material/category:", "themes", "view"),
    ("app_pages/codebook.py", "Codebook", ":material/menu_book:", "codebook", "view"),
    ("app_pages/voices.py", "Voices", ":material/groups:", "voices", "view"),
    (
        "app_pages/improvement_plan.py",
        "Improvement Plan",
        ":material/flag:",
        "improvement-plan",
        "view",
    ),
    ("app_pages/data.py", "Data", ":material/upload_file:", "data", "upload"),
)

user = auth.current_user()
if user is None:
    # Routing only the sign-in page means no other page's URL can run before sign-in.
    st.navigation(
        [st.Page(auth.sign_in_page, title="Sign in", url_path="sign-in", default=True)],
        position="hidden",
    ).run()
    st.stop()
deeplink.start_run()
# A page the role may not use is not routed at all, so its URL cannot reach it either.
pages = [
    st.Page(script, title=title, icon=icon, url_path=url, default=(url == "overview"))
    for script, title, icon, url, permission in PAGES
    if auth.may(permission)
]
presenting = presentation.is_presenting_requested()
pg = st.navigation(pages, position="hidden" if presenting else "sidebar")
auth.render_user_box(user)
context.render_sidebar()
presentation.apply_style()
widgets.apply_focus_style()
try:
    if presentation.is_presenting():
        presentation.render_deck()  # the deck replaces the page: no sidebar, notices or editing
    else:
        deeplink.show_notes()
        pg.run()
finally:
    # Runs after st.stop() too, so the address bar is always the link to what is on screen.
    deeplink.write_url()
