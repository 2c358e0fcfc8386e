"""The dialogue: what the engine remembers between messages (kept in the store), and how answers fill it."""
