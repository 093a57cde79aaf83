"""Kontaktpunkt as a producer of Mina ärenden: the query interface of Skatteverket's API "Mina
ärenden kundhändelser" 1.0.0 (standard 6.1), which Skatteverket's forwarding service calls.

Each change of a case's steps that its citizen would want to know of is a customer event
(kundhändelse), read from the case's timeline: `events` words them, `parties` finds the cases
of the party asked about, `answer` filters, sorts and pages them, `views` serves the query,
`schemas` and `answer_schemas` describe the query and the answer, `keys` checks the caller's
key.
"""
