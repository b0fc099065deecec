"""``python -m toolkit.web``: one participant server."""

import sys

from .server import main

sys.exit(main())
