"""Constants in one place: thresholds, seeds, palette, theme ids, default paths."""

from __future__ import annotations

import os
from pathlib import Path

from analysis.core import settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
NLTK_DATA_DIR = PROJECT_ROOT / "nltk_data"

DEMO_RESPONSES = DATA_DIR / "demo_responses.csv"
DEMO_MILESTONES = DATA_DIR / "demo_milestones.csv"
DEMO_MILESTONE_HISTORY = DATA_DIR / "demo_milestone_history.csv"
DEMO_ENGAGEMENT_LOG = DATA_DIR / "demo_engagement_log.csv"
POPULATION_BENCHMARK = DATA_DIR / "population_benchmark.csv"
DEFAULT_CODEBOOK = DATA_DIR / "codebook.yaml"
DEMO_DATASET_NAME = "Demo: GM lived-experience survey 2024-25"

RANDOM_SEED = 42

# --- store ------------------------------------------------------------------------------------
# DATABASE_URL (any SQLAlchemy URL, e.g. postgresql+psycopg://...) wins; otherwise FEEDBACK_DB_PATH
# names a SQLite file (analysis/core/settings.py declares both, with their defaults).


def database_url() -> str:
    """Return the SQLAlchemy URL of the store, from the environment or the default SQLite file."""
    url = str(settings.value("DATABASE_URL")).strip()
    if url:
        return url
    path = Path(str(settings.value("FEEDBACK_DB_PATH"))).expanduser()
    return f"sqlite:///{path}"


# --- ingest ----------------------------------------------------------------------------------
MAX_UPLOAD_BYTES = int(settings.value("FEEDBACK_MAX_UPLOAD_MB")) * 1024 * 1024
MAX_XLSX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # zip-bomb guard: 1 GiB of XML at most
MAX_XLSX_RATIO = 200  # uncompressed / compressed size beyond which an XLSX is refused
MAX_TEXT_CHARS = 100_000  # longer answers are kept but truncated with a reported problem
# Guards on the shape of a sheet, so a tiny file cannot ask for huge memory
INGEST_MAX_COLUMNS = 1000
INGEST_MAX_ROWS = 2_000_000

# --- privacy ---------------------------------------------------------------------------------
SUPPRESSION_THRESHOLD = 10  # smallest group of respondents that may be shown
MIN_SUPPRESSION_THRESHOLD = 5  # configuration may never go below this
SUPPRESSED_MARK = "[suppressed]"

# --- themes ----------------------------------------------------------------------------------
CORE_THEME_IDS = (
    "access",
    "staff_behaviour",
    "limited_interventions",
    "partnership_working",
    "discharge_planning",
    "communication",
    "carers_family",
    "medication",
    "crisis_care",
    "environment_safety",
    "positive_experience",
)
UNASSIGNED = "unassigned"  # an answer with content that no theme fits
NO_CONTENT = "no_content"  # blank or contentless answers ("n/a", "nothing")
SPECIAL_THEME_IDS = (UNASSIGNED, NO_CONTENT)
# Blank and placeholder answers never reach the themes (ingest keeps them out); what is left under
# NO_CONTENT are answers that raise nothing ("Nothing", "None", "Not sure"): answers, counted as such.
SPECIAL_THEME_LABELS = {
    UNASSIGNED: "Unassigned (no theme fits)",
    NO_CONTENT: "Nothing raised (e.g. 'nothing', 'none')",
}

# --- Improvement Plan ------------------------------------------------------------------------
PLAN_AREAS = (
    "Patient Safety",
    "Clinical Strategy and Professional Standards",
    "People",
    "Culture",
    "Leadership and Governance",
)
MILESTONE_STATUSES = ("not started", "on track", "at risk", "off track", "complete")
PLAN_DUE_SOON_DAYS = 90  # "due soon" horizon on the plan page
PLAN_MIN_ANSWERS_PER_PERIOD = (
    30  # fewer answers before or after completion: too few to judge a change
)
PLAN_SIGNIFICANCE = 0.05  # p-value below which a before/after change is reported as more than noise

# --- people ----------------------------------------------------------------------------------
RESPONDENT_TYPES = ("service user", "carer", "staff", "other")
DEMOGRAPHIC_COLUMNS = (
    "age_band",
    "gender",
    "ethnicity",
    "disability",
    "sexual_orientation",
    "religion",
)
# The demographic groups the demo data, the population benchmark and the Voices page share, in
# display order (an uploaded survey may use others; they are shown after these, sorted).
DEMOGRAPHIC_GROUPS: dict[str, tuple[str, ...]] = {
    "age_band": ("16-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"),
    "gender": ("Woman", "Man", "Non-binary", "Prefer to self-describe"),
    "ethnicity": (
        "White British",
        "White other",
        "Asian or Asian British - Pakistani",
        "Asian or Asian British - Indian",
        "Asian or Asian British - Bangladeshi",
        "Black or Black British - African",
        "Black or Black British - Caribbean",
        "Mixed or multiple",
        "Other ethnic group",
    ),
    "disability": ("Yes", "No"),
    "sexual_orientation": ("Heterosexual", "Gay or lesbian", "Bisexual", "Other"),
    "religion": ("Christian", "Muslim", "No religion", "Other"),
}
PREFER_NOT_TO_SAY = "Prefer not to say"
NOT_RECORDED = "Not recorded"  # shown for missing demographics; distinct from prefer not to say
GM_BOROUGHS = (
    "Bolton",
    "Bury",
    "Manchester",
    "Oldham",
    "Rochdale",
    "Salford",
    "Stockport",
    "Tameside",
    "Trafford",
    "Wigan",
)

# --- palette ---------------------------------------------------------------------------------
NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_DARK_GREY = "#425563"
NHS_RED = "#DA291C"
NHS_GREEN = "#007F3B"
# Colour-blind-safe categorical palette, NHS blue first. Every colour
# is >= 3:1 against white (WCAG 1.4.11 for chart marks) and every pair stays >= 14 CIELAB Delta E apart in
# normal vision and simulated protanopia, deuteranopia and tritanopia (Machado 2009); tests/test_palette.py
# checks both. Okabe-Ito's yellow (#F0E442, 1.3:1), sky blue (#56B4E9, 2.3:1) and orange (#E69F00, 2.3:1)
# fail 3:1 on white, its blue #0072B2 is too close to NHS blue, and a dark yellow collapses into orange for
# protanopes, so those are replaced by darker colours chosen for distance under all three simulations.
CATEGORICAL_PALETTE = (
    "#005EB8",  # NHS blue
    "#D55E00",  # vermillion
    "#007A5E",  # bluish green (darker Okabe-Ito green)
    "#AA4488",  # reddish purple (darker Okabe-Ito pink)
    "#000000",  # black
    "#8700FF",  # violet
    "#8B1A10",  # dark red
    "#E03CF0",  # magenta
)
# Diverging scale for "less than everyone else" (orange) to "more" (blue).
DIVERGING_SCALE = ((0.0, "#B35806"), (0.5, "#F7F7F7"), (1.0, "#005EB8"))
# Status colours are chart marks too: >= 3:1 on white and apart under colour-blindness simulation
# ("at risk" as amber #E69F00 is 2.3:1; "off track" as vermillion is confused with a darker amber).
STATUS_COLOURS = {
    "not started": "#768692",
    "on track": "#005EB8",
    "at risk": "#9A6A00",
    "off track": "#8B1A10",
    "complete": "#009E73",
}

# --- sentiment + discovery ---------------------------------------------------------------------
# VADER's own conventions: |compound| < 0.05 is neutral.
SENTIMENT_NEUTRAL_BAND = 0.05
# An answer is "mixed" when one clause is at least this positive and another at least this negative.
SENTIMENT_MIXED_THRESHOLD = 0.3
DISCOVERY_MIN_CLUSTER_SIZE = 10
DISCOVERY_MAX_CLUSTERS = 15
DISCOVERY_SAMPLE_SIZE = 2000  # answers used to choose k (silhouette); all answers are then assigned

# --- themes core ---------------------------------------------------------------------------
CODEBOOK_FORMAT_VERSION = 1
CODEBOOK_MAX_BYTES = 2 * 1024 * 1024  # a codebook file larger than this is refused
CODEBOOK_MAX_THEMES = 300
CODEBOOK_MAX_SEEDS_PER_THEME = 500
CODEBOOK_MAX_SEED_CHARS = 200
CODEBOOK_MAX_LABEL_CHARS = 120
CODEBOOK_MAX_DESCRIPTION_CHARS = 2000
MODEL_FORMAT_VERSION = 1
MODEL_MAX_BYTES = 500 * 1024 * 1024  # a model file larger than this is refused
ZERO_SHOT_MAX_FIT_TEXTS = 40_000  # zero-shot fits on a seeded sample of at most this many texts
ZERO_SHOT_MIN_PROBA = 0.6  # a theme raised by the model alone needs at least this probability
ZERO_SHOT_MAX_EXPANSION = 0.4  # model-only assignments <= this share of the seed-matched ones
ZERO_SHOT_UNMATCHED_WEIGHT = 0.3  # weight of texts no seed matched (treated as soft negatives)
CORRECTION_WEIGHT = 5.0  # a person's correction outweighs this many weak labels
RETRAIN_EPOCHS = 4  # passes of a retrain with judgements (bench/retrain_speed.py)
CLASSIFY_CHUNK_ROWS = 50_000  # rows per chunk when classifying / streaming a big file
THEME_CACHE_MAX_ENTRIES = 2_000_000  # text-hash cache entries kept in process

# --- classification speed ----------------------------------------------------------------------
THEME_CACHE_MAX_BYTES = 600 * 1024 * 1024  # the text cache also stops at this (estimated) size
FIT_THREADS = min(2, os.cpu_count() or 1)  # zero-shot per-theme fits run in this many threads
CLASSIFY_PROCESSES = 2  # big batches (CLI, bench) classify on up to this many forked workers
CLASSIFY_PARALLEL_MIN_ROWS = 20_000  # new answers in one call before workers are worth starting

# --- themes explorer -------------------------------------------------------------------------
NEGATIVE_SENTIMENT_CUTOFF = -0.05  # VADER convention: compound <= -0.05 reads as negative
COMPARE_ALPHA = 0.05  # false discovery rate for the group x theme matrix (Benjamini-Hochberg)
MAX_SEARCH_QUERY_CHARS = 500  # longer search queries are refused with a message
MAX_SEARCH_TERMS = 40  # words/phrases in one query
MAX_SEARCH_DEPTH = 12  # nesting of parentheses / NOT
CODEBOOK_STORE_NAME = "default"  # one shared codebook lineage in the store
