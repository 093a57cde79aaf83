"""Case officers (handläggare): each agency's workspace over the shared case status."""
