"""The theme engine: the codebook and its edits and versions, seed matching, features, the zero-shot
and trained classifiers, model files, the classification pipeline, corrections and discovery."""

__all__ = [
    "checking",
    "classifier_base",
    "codebook",
    "codebook_edit",
    "codebook_store",
    "corrections",
    "corrections_store",
    "discovery",
    "discovery_names",
    "features",
    "judgements",
    "model_files",
    "pipeline",
    "result_tables",
    "review",
    "seed_match",
    "starter",
    "trained",
    "zero_shot",
]
