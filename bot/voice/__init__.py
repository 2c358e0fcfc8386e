"""Speech input: a voice message becomes a transcript, then takes the text path.

- `audio`: any container/codec PyAV reads -> 16 kHz mono s16, streamed, with limits;
- `transcriber`: the engine interface and the per-process choice (Vosk when
  SPOTTER_VOSK_MODEL is set, else PocketSphinx);
- `vosk`, `sphinx`: the two engines; `vocabulary`, `lm`, `pronounce`: the
  studio's words, the domain language model, pronunciations for names;
- `hear`: the engine's audio branch ("I heard: ...", confirmation when unsure);
- `models`: downloading an official Vosk model (`spotter voice install-model`).

Nothing here imports vosk, av or pocketsphinx at import time: the engine
starts without the `voice` extra, and a voice message then gets a sentence
saying voice is not set up.
"""
