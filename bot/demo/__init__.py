"""`sanimas demo`: the real bot against the local simulator, walked through by scripted people."""
