"""Tests of skills.record_parsing and skills.mapping."""
