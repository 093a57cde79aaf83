"""The citizen's side: the journey, My pages, once-only (prefill, sharing log, export), feedback."""
