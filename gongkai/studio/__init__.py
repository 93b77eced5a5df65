"""Label Studio annotation loop: push documents with predictions, pull human annotations back."""
