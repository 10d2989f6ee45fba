"""Search across what the public may read: the papers as published, the notes of meetings, the
MoU's deliverables and approved returns.

The core knows no app. Each app offers its text as a *source* (`registry.register`, in its
AppConfig.ready()), and calls `services.search_refresh` explicitly where it writes what a source shows
(a publication, an approved return, a saved note). The entries are kept in one table
(`lgaboard.SearchEntry`), with a weighted `tsvector` and a GIN index on PostgreSQL; elsewhere (SQLite)
a simpler search reads the same table. `selectors.search` answers a query.
"""
