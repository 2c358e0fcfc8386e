"""The parser: a message becomes a frame (intent + slots), per shared/spec/intents.md.

    from nlu import load_parser
    frame = load_parser().parse("log session with John at 3pm", now=now, role="trainer")
    frame.to_json()

Importing `nlu` is cheap; spaCy and the classifier load on the first `load_parser()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nlu.frame import Frame

if TYPE_CHECKING:
    from nlu.parser import Parser

__all__ = ["Frame", "Parser", "load_parser"]


def load_parser(*, eager: bool = True) -> Parser:
    """The process's parser, built on first use (load once, parse many).

    `eager=False` for a process that parses a message or two and exits: the classifier
    loads only if a message needs it, and nothing is warmed up.
    """
    from nlu.parser import load_parser as _load

    return _load(eager=eager)


def __getattr__(name: str) -> Any:
    if name == "Parser":
        from nlu.parser import Parser

        return Parser
    raise AttributeError(name)
