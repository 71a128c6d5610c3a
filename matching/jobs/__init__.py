"""Jobs for a learner: published postings ranked by fit, saved jobs, applications by share link (issue 16)."""
