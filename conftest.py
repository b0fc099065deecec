"""Keep every test run, notebooks included, away from the real workshop data."""

import os
import tempfile

# Kernels started by nbval and by the servers inherit this environment.
os.environ["WORKSHOP_DATA"] = tempfile.mkdtemp(prefix="workshop-test-data-")
os.environ.pop("WORKSHOP_DB", None)
