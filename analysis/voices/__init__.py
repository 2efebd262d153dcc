"""Who took part and who is missing: participation against a population benchmark, what
under-represented groups raise, and the engagement log."""

__all__ = [
    "benchmark",
    "benchmark_match",
    "engagement",
    "engagement_store",
    "group_voices",
    "participation",
    "participation_words",
    "people_counts",
    "representation",
    "voices_workbook",
]
