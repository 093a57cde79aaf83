"""Agencies: the adapter interface, one adapter per kind of agency system, the simulated agencies.

Nothing here imports Flask, `workflows` or `contactpoint`.
"""
