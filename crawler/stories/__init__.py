"""Stories across outlets: which articles report the same event (pure: text in, terms and
verdicts out; the index of terms lives in storage, the online assignment in the write path)."""
