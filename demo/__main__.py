"""`python -m demo --data-dir run-data`: the kiosk, its sync and a local hub (`make run`)."""

import sys

from demo.launcher import main

sys.exit(main())
