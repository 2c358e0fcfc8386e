"""The parser: a message becomes a frame (intent + slots), per shared/spec/intents.md."""
