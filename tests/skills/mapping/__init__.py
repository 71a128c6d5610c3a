"""Tests of skills.records and skills.mapping."""
