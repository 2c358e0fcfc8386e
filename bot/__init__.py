"""The conversation engine: who is speaking, what they mean, what happens next."""

__version__ = "0.1.0"
