"""Who took part and who is missing: participation against a population benchmark, what
under-represented groups raise, and the engagement log."""

__all__ = ["benchmark_match", "engagement", "engagement_store", "group_voices", "participation"]
