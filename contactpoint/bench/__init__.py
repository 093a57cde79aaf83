"""`contactpoint bench`: Kontaktpunkt measured against raw Celery on the same broker.

One module per phase: `ceiling` (raw Celery), `ours` (cases through the service layer and the
real workflow), `reads` (status and My pages over a large population), `submit` (the API's
case submission); `runtime` starts and stops what the benchmark needs.
"""
