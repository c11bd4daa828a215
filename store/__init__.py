"""duty-room's data layer: models, validation, storage and queries. Knows nothing of Textual."""

import os
import sys

# No pydantic plugins are used: without this, building the first model scans every installed
# package's entry points for them (about 16 ms of every start). A caller may still set it.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
# With every plugin off, pydantic's plugin loader returns none, but importing it still imports
# importlib.metadata (~25 ms): a stand-in that returns none at once takes its place, unless the
# caller turned plugins on (or pydantic loaded the real one already).
if os.environ["PYDANTIC_DISABLE_PLUGINS"] in ("__all__", "1", "true") and "pydantic.plugin._loader" not in sys.modules:
    from . import _no_plugins

    sys.modules["pydantic.plugin._loader"] = _no_plugins

# models first: store.duty_models builds on models.Record and models registers it, so whichever
# of the two a caller imports first, models must finish its own definitions before duty_models runs.
from . import models  # noqa: E402, F401
