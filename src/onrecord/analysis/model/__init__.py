"""The learned attribution model: a MiniLM token tagger run with ONNX Runtime, and the steps
that join what it finds with what the rules find.

The tagger's weights ship in ``onrecord/data/models/attribution/`` with their tokenizer and
model card; they are read once per process (``tagger.get_tagger``). Neither torch nor
transformers is imported at run time; training lives in ``training/`` (the ``train`` extra).
"""
