"""Rasa-side code that is not an action: custom NLU components and the shared jieba dictionary."""
