"""The record across articles: one identity per person or body, one quotation per
utterance, and claims linked to their denials wherever each was printed.

``names`` says what a name is and how two spellings compare; ``identities`` joins the
speakers of many articles; ``quotations`` groups the statements that print one utterance;
``crossdisputes`` links a denial to a claim printed in another story; ``relink`` runs all
three over a corpus database, and ``people`` reads a newsroom's list of people.
"""
