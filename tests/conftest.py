"""Every test process runs in the explicit development mode (make test sets it too): the known
development tokens are accepted only there. Tests of production settings set it themselves."""

import os

os.environ.setdefault("ENVIRONMENT", "development")
