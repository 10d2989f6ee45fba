"""The read-only open data API: the board's public record as OParl 1.1, with a documented
`lgaboard:` extension for decisions, actions and the MoU (docs/oparl-api.md)."""
