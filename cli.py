"""Run gametheory from a checkout: ``python cli.py solve games/deterrence.json`` == ``gametheory solve ...``."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gametheory.cli import main

if __name__ == "__main__":
    main()
