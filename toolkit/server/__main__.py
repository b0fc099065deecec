"""``python -m toolkit.server --spec JSON``: one workshop Voila server in this process."""

import sys

from .launch import main

sys.exit(main())
