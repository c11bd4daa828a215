"""duty-room's data layer: models, validation, storage and queries. Knows nothing of Textual."""

import os

# No pydantic plugins are used: without this, building the first model scans every installed
# package's entry points for them (about 16 ms of every start). A caller may still set it.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# models first: store.duty_models builds on models.Record and models registers it, so whichever
# of the two a caller imports first, models must finish its own definitions before duty_models runs.
from . import models  # noqa: E402, F401
