"""The studio store: model, commands and queries. Imports nothing from bot/, nlu/ or adapters/."""
