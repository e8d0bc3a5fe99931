"""Fault injection for crash tests: kill this process at a named point of a run.

Set the environment variable `CRAWLSIEVE_FAULT` to one point name and the process that reaches it
kills itself with SIGKILL, exactly as `kill -9` would: no `finally` blocks, no atexit handlers, no
flushing. Worker processes inherit the variable, so a point inside a unit fires in whichever process
runs that unit. Unset (the normal case), a check is one comparison with `None`.

Points (`<k>` is the pass index, `<unit>` the unit name, e.g. `00001` in pass 0, `00001-0000`
after):

* `pass<k>:unit:<unit>:mid`: the unit's first batch went to its writers (files open in staging);
* `pass<k>:unit:<unit>:after_publish`: the unit's outputs are in place, its marker is not;
* `global<k>:after_resolve`: the global stage wrote its artifacts, the checkpoint is not written;
* `finish:before_stats`, `finish:before_success`, `finish:before_cleanup`, `finish:mid_cleanup`:
  in `finish_run`, before `stats.json`, before `_SUCCESS`, before the work directory is moved
  aside, and after it was moved but before it is deleted.
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "CRAWLSIEVE_FAULT"
_POINT = os.environ.get(FAULT_ENV) or None


def fault_point(*parts: object) -> None:
    """Die here (SIGKILL) if `CRAWLSIEVE_FAULT` names this point (`parts` joined with `:`)."""
    if _POINT is None:
        return
    if ":".join(str(part) for part in parts) == _POINT:
        os.kill(os.getpid(), signal.SIGKILL)
