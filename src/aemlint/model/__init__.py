"""The project model: plain frozen data built once from parsed inputs, plus queries on it.

Rules query the model; no rule walks the file system or re-parses a file.
"""
