"""Channel adapters: platform events in, engine messages out, replies back."""
