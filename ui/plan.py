"""The Improvement Plan page's app side, in one place for callers.

The loaders live in ui.plan_data, the read-only sections in ui.plan_views and the editing sections in
ui.plan_edit; their public names are re-exported here.
"""

from __future__ import annotations

from ui.plan_data import HORIZON_DAYS, dataset_uses_plan, plan_tables, plan_token
from ui.plan_edit import (
    EDITOR_BASE,
    EDITOR_GEN,
    FLASH,
    FORM_BASE,
    IMPORTED,
    render_add_form,
    render_edit_form,
    render_editor,
    render_flash,
    render_import_export,
)
from ui.plan_views import (
    render_changed_since,
    render_glance,
    render_over_time,
    render_plan_link,
    render_you_said_we_did,
)

__all__ = [
    "EDITOR_BASE",
    "EDITOR_GEN",
    "FLASH",
    "FORM_BASE",
    "HORIZON_DAYS",
    "IMPORTED",
    "dataset_uses_plan",
    "plan_tables",
    "plan_token",
    "render_add_form",
    "render_changed_since",
    "render_edit_form",
    "render_editor",
    "render_flash",
    "render_glance",
    "render_import_export",
    "render_over_time",
    "render_plan_link",
    "render_you_said_we_did",
]
