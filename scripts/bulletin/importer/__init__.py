"""Import pipeline: raw OCR page text -> tagged articles (see ``stages`` for the data of each step)."""
