"""The token-classification model: character tokeniser, sliding windows, training data, training,
inference and the model card. Heavy libraries (torch, transformers) are imported by the submodules
that need them, never here, so that ``import gongkai.model`` stays cheap."""
