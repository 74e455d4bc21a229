"""Pure, stdlib-only modules that both Python environments import (the Rasa side and the service)."""
