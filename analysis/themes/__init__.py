"""The theme engine: the codebook and its edits and versions, seed matching, features, the zero-shot
and trained classifiers, model files, the classification pipeline, corrections and discovery."""

__all__ = [
    "classifier_base",
    "codebook",
    "codebook_edit",
    "codebook_store",
    "corrections",
    "corrections_store",
    "discovery",
    "discovery_names",
    "features",
    "model_files",
    "pipeline",
    "seed_match",
    "trained",
    "zero_shot",
]
