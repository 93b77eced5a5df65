"""Batch extraction over files and folders: discover inputs, run the one-document pipeline in
worker processes (or Ray), write every output atomically, record failures and go on, then check
the reports against each other (carry-over chains, duplicates, dates)."""
