"""Hardware self-checks: touch panel, display, temperature, storage, memory, clock,
network, watchdog and outbox. Each check is a small pure function over what was read
through a `Sysroot` (the real machine, or a recorded tree in tests); `runner.run_checks`
runs them all and never raises. Codes for technicians: see README.md here.
"""

from appliance.hwcheck.report import Report, read_report, write_report
from appliance.hwcheck.result import FAIL, OK, SKIP, WARN, CheckResult

__all__ = ["FAIL", "OK", "SKIP", "WARN", "CheckResult", "Report", "read_report", "write_report"]
