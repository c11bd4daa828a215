"""duty-room's data layer: models, validation, storage and queries. Knows nothing of Textual."""
