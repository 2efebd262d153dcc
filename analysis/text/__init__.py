"""Text preparation: normalising, tokenising and stemming, sentiment, and answer search."""

__all__ = [
    "clauses",
    "nltk_path",
    "normalise",
    "search",
    "sentiment",
    "sentiment_model",
    "starter_file",
    "vader",
]
