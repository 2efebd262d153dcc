"""What the themed answers say: theme tables and summaries, group comparison, co-occurrence, the
answers behind a figure, and the Overview's headline figures. Every count is already suppressed."""

__all__ = [
    "answer_search",
    "answers_view",
    "cooccurrence",
    "group_comparison",
    "overview",
    "spc",
    "theme_levels",
    "theme_privacy",
    "theme_summary",
    "theme_tables",
]
