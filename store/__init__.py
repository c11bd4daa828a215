"""duty-room's data layer: models, validation, storage and queries. Knows nothing of Textual."""

# models first: store.duty_models builds on models.Record and models registers it, so whichever
# of the two a caller imports first, models must finish its own definitions before duty_models runs.
from . import models  # noqa: F401
