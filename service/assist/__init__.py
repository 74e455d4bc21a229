"""Assist: understand a citizen's message (Rasa NLU + catalogue search) and answer with a notice."""
