"""The rule language: parse, check, evaluate in batch, explain (see docs/rules-language.md)."""
