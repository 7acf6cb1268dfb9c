"""Awards and recognition: eligibility rounds, quota allocation with reasons, the
typical-unit recognition procedure, its dossier and its results report."""
