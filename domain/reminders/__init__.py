"""The studio's follow-up policy: reminder rules, people's choices, one-click links.

`rules.due(uow, now)` says what is due (level-triggered, keyed: each happens
once); `preferences` holds people's choices and the quiet-hours arithmetic;
`links` signs and spends e-mail links; `kinds` names the kinds and what
opt-outs, digests and quiet hours do with each. The outbox itself is
`domain.outbox`; the words and the pass are `bot.reminders`.
"""
