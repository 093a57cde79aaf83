"""Life events declared as data, the rules that read them, and the Celery workflows they drive.

Nothing here imports Flask or `contactpoint`; state is reached through `workflows.store.Store`.
"""
