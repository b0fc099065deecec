"""``python -m toolkit.cli``: the same as the ``workshop`` command."""

import sys

from . import main

sys.exit(main())
