"""``python -m emulation_rules`` runs the command line."""

import sys

from emulation_rules.cli.main import main

sys.exit(main())
