"""Settings are split by environment: base (shared), dev, test and prod.

Every value that differs between machines comes from an environment variable;
dev and test give safe defaults, prod refuses to start without what it needs.
"""
