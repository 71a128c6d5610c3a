"""Employers contact candidates through consent: requests, answers, shortlists, notes, outcomes (issue 17)."""
